// Finds the active speaker: an AnalyserNode per audio stream, sampled a few times a second;
// the loudest level above a threshold wins, and a winner is held for a while so the highlight
// doesn't flicker between people talking over each other or pausing between words.
const SAMPLE_INTERVAL_MS = 150;
const THRESHOLD_RMS = 0.015;
const HOLD_MS = 1200;

export class SpeakerDetector {
  #context = null;
  #sources = new Map(); // id -> { trackId, source, analyser, buffer }
  #timer = null;
  #current = null;
  #since = 0;
  #lastHeard = 0;
  #onChange;

  constructor(onChange) {
    this.#onChange = onChange;
  }

  // Called from a click handler: browsers only let an AudioContext run after a gesture.
  resume() {
    if (typeof AudioContext === 'undefined') return;
    this.#context ??= new AudioContext();
    if (this.#context.state === 'suspended') {
      this.#context.resume().catch(() => {});
      // Too late for this gesture (e.g. after a permission prompt): the next one will do.
      const context = this.#context;
      const retry = () => context.state === 'suspended' && context.resume().catch(() => {});
      window.addEventListener('pointerdown', retry, { once: true, capture: true });
      window.addEventListener('keydown', retry, { once: true, capture: true });
    }
    this.#timer ??= setInterval(() => this.#sample(), SAMPLE_INTERVAL_MS);
  }

  // (Re)attaches the analyser when the stream's audio track changed; no audio → not a candidate.
  watch(id, stream) {
    const track = stream?.getAudioTracks()[0];
    const existing = this.#sources.get(id);
    if (existing && existing.trackId === track?.id) return;
    this.unwatch(id);
    if (!track || !this.#context) return;
    const source = this.#context.createMediaStreamSource(new MediaStream([track]));
    const analyser = this.#context.createAnalyser();
    analyser.fftSize = 512;
    source.connect(analyser);
    this.#sources.set(id, { trackId: track.id, source, analyser, buffer: new Float32Array(analyser.fftSize) });
  }

  unwatch(id) {
    const entry = this.#sources.get(id);
    if (!entry) return;
    entry.source.disconnect();
    this.#sources.delete(id);
    if (this.#current === id) this.#set(null, performance.now());
  }

  stop() {
    clearInterval(this.#timer);
    this.#timer = null;
    for (const id of [...this.#sources.keys()]) this.unwatch(id);
    this.#context?.close().catch(() => {});
    this.#context = null;
    this.#current = null;
  }

  #level(entry) {
    entry.analyser.getFloatTimeDomainData(entry.buffer);
    let sum = 0;
    for (const sample of entry.buffer) sum += sample * sample;
    return Math.sqrt(sum / entry.buffer.length);
  }

  #sample() {
    const now = performance.now();
    let loudest = null;
    let loudestLevel = THRESHOLD_RMS;
    for (const [id, entry] of this.#sources) {
      const level = this.#level(entry);
      if (level > loudestLevel) {
        loudest = id;
        loudestLevel = level;
      }
    }
    if (loudest !== null) this.#lastHeard = now;
    if (loudest === this.#current) return;
    const held = now - this.#since < HOLD_MS;
    if (loudest === null) {
      if (this.#current !== null && now - this.#lastHeard >= HOLD_MS) this.#set(null, now);
    } else if (this.#current === null || !held) {
      this.#set(loudest, now);
    }
  }

  #set(id, now) {
    this.#current = id;
    this.#since = now;
    this.#onChange(id);
  }
}
