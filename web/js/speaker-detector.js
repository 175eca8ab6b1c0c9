// Finds the active speaker: each watched participant's audio level (audio-level-meter.js),
// read a few times a second; the loudest level above a threshold wins, and a winner is held
// for a while so the highlight doesn't flicker between people talking over each other or
// pausing between words.
const SAMPLE_INTERVAL_MS = 250;
const THRESHOLD_RMS = 0.015;
const HOLD_MS = 1200;

export class SpeakerDetector {
  #meters = new Map(); // id -> { read(): Promise<number>, close?() }
  #timer = null;
  #sampling = false;
  #current = null;
  #since = 0;
  #lastHeard = 0;
  #onChange;
  #now;

  // onChange(id | null) when the highlight moves; now() is the clock (injected by tests).
  constructor(onChange, { now = () => performance.now() } = {}) {
    this.#onChange = onChange;
    this.#now = now;
  }

  start() {
    this.#timer ??= setInterval(() => this.#sample(), SAMPLE_INTERVAL_MS);
  }

  // meter: what to read `id`'s level from (replaces an earlier one); null: not a candidate.
  // A meter dropped here (replaced, unwatched, stopped) is closed, if it has close(): one that
  // measures a track itself lets its audio graph go.
  watch(id, meter) {
    if (!meter) {
      this.unwatch(id);
      return;
    }
    const earlier = this.#meters.get(id);
    this.#meters.set(id, meter);
    if (earlier !== meter) earlier?.close?.();
  }

  unwatch(id) {
    const meter = this.#meters.get(id);
    if (!this.#meters.delete(id)) return;
    meter.close?.();
    if (this.#current === id) this.#set(null, this.#now());
  }

  stop() {
    clearInterval(this.#timer);
    this.#timer = null;
    for (const meter of this.#meters.values()) meter.close?.();
    this.#meters.clear();
    this.#current = null;
  }

  // One reading of every meter at a time: a slow getStats() skips a tick rather than piling up.
  async #sample() {
    if (this.#sampling) return;
    this.#sampling = true;
    try {
      const readings = await Promise.all([...this.#meters].map(async ([id, meter]) =>
        [id, await meter.read().catch(() => 0)]));
      if (this.#timer !== null) this.#decide(readings.filter(([id]) => this.#meters.has(id)));
    } finally {
      this.#sampling = false;
    }
  }

  #decide(readings) {
    const now = this.#now();
    let loudest = null;
    let loudestLevel = THRESHOLD_RMS;
    for (const [id, level] of readings) {
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
