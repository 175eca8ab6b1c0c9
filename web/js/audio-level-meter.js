// How loud an audio stream has been since it was last asked, from what WebRTC already adds up
// for it: the stats spec's totalAudioEnergy over totalSamplesDuration, the mean square level of
// the interval between two readings. For audio received from a peer that is the receiver's
// inbound-rtp entry; for our own microphone, the media-source entry of a sender carrying it.
// No AudioContext where the stats have the level: one would run an audio thread and an extra
// output stream in the page for the whole call, and starting it costs tens of milliseconds
// right when Join is pressed. Firefox's senders report no media-source entry, so there, and
// only there, our own microphone is measured off the track with Web Audio (TrackAnalyser).

// The audio entry of `statType` in `report` that counts audio energy, or null.
export function audioEntry(report, statType) {
  let entry = null;
  report?.forEach((stats) => {
    if (stats.type === statType && stats.kind === 'audio' && typeof stats.totalAudioEnergy === 'number') entry = stats;
  });
  return entry;
}

export class AudioLevelMeter {
  #report;
  #statType;
  #last = null; // { id, energy, duration }

  // report: () => Promise<RTCStatsReport | undefined> | undefined (undefined: nothing to read)
  constructor(report, statType) {
    this.#report = report;
    this.#statType = statType;
  }

  // The interval's RMS level, 0..1 (1 is full scale); 0 on the first reading, or when the
  // stream, or the entry measuring it, changed since the last one.
  async read() {
    return this.levelOf(await this.#report());
  }

  // The same from a report already in hand (undefined: nothing to read).
  levelOf(report) {
    const entry = audioEntry(report, this.#statType);
    if (!entry) {
      this.#last = null;
      return 0;
    }
    const last = this.#last;
    this.#last = { id: entry.id, energy: entry.totalAudioEnergy, duration: entry.totalSamplesDuration ?? 0 };
    if (!last || last.id !== entry.id) return 0;
    const duration = this.#last.duration - last.duration;
    const energy = this.#last.energy - last.energy;
    return duration > 0 && energy > 0 ? Math.sqrt(energy / duration) : 0;
  }
}

// The level of PCM samples (-1..1) on the scale of the levels the stats give where this is
// used (Firefox): its libwebrtc adds, for every 10 ms frame, the frame's peak squared times its
// duration to totalAudioEnergy (audio_level.cc), so the level is the root mean square of the
// frames' peaks. Firefox 153 reads a 0.1 tone it receives as 0.101, and this reads the same tone
// off the microphone as 0.100; a plain RMS of the samples (0.071) would put one's own voice
// 3 dB, and speech more, below the same voice received, and the detector ranks them together.
export function frameLevel(samples, sampleRate) {
  const frame = Math.max(1, Math.round(sampleRate / 100));
  let sum = 0;
  let frames = 0;
  for (let start = 0; start + frame <= samples.length; start += frame) {
    let peak = 0;
    for (let i = start; i < start + frame; i++) peak = Math.max(peak, Math.abs(samples[i]));
    sum += Math.min(1, peak) ** 2;
    frames++;
  }
  return frames > 0 ? Math.sqrt(sum / frames) : 0;
}

// The AnalyserNode size (a power of two it allows, 32..32768) whose window holds at least
// `seconds` of audio: one reading then covers the detector's whole sampling interval.
export function analyserSize(sampleRate, seconds) {
  const wanted = Math.ceil(sampleRate * seconds);
  let size = 32;
  while (size < wanted && size < 32768) size *= 2;
  return size;
}

// A quarter of a second, the speaker detector's sampling interval.
const ANALYSER_WINDOW_S = 0.25;

// Our own microphone measured off the track: a MediaStreamAudioSourceNode into an AnalyserNode
// (connected to nothing else, so nothing is played). The context is made at the first reading
// and closed by close(); another track gets a new source node, the old one disconnected.
class TrackAnalyser {
  #createContext;
  #context = null;
  #source = null;
  #analyser = null;
  #samples = null;
  #track = null;

  constructor(createContext) {
    this.#createContext = createContext;
  }

  level(track) {
    if (!this.#context) {
      this.#context = this.#createContext();
      // Made outside a user gesture a context may wait suspended; Join was one, so it can go.
      // (Once: with no audio output at all it never starts, and the readings stay 0.)
      if (this.#context.state === 'suspended') this.#context.resume().catch(() => {});
      this.#analyser = this.#context.createAnalyser();
      this.#analyser.fftSize = analyserSize(this.#context.sampleRate, ANALYSER_WINDOW_S);
      this.#samples = new Float32Array(this.#analyser.fftSize);
    }
    if (track !== this.#track) {
      this.#source?.disconnect();
      this.#source = this.#context.createMediaStreamSource(new MediaStream([track]));
      this.#source.connect(this.#analyser);
      this.#track = track;
      return 0; // nothing of this track in the window yet
    }
    this.#analyser.getFloatTimeDomainData(this.#samples);
    return frameLevel(this.#samples, this.#context.sampleRate);
  }

  close() {
    this.#source?.disconnect();
    this.#analyser?.disconnect();
    this.#context?.close().catch(() => {});
    this.#context = this.#source = this.#analyser = this.#samples = this.#track = null;
  }
}

// Only connected peer connections are asked: getStats() runs on the thread that also applies
// descriptions and candidates, and a connection being set up has no audio to measure yet.
const connected = (pc) => pc?.connectionState === 'connected';

// What `remoteId` sent us on `track`, through its peer connection in `peers`.
export function receivedAudioMeter(peers, remoteId, track) {
  return new AudioLevelMeter(() => {
    const pc = peers.get(remoteId);
    if (!connected(pc)) return undefined;
    return pc.getReceivers().find((r) => r.track === track)?.getStats();
  }, 'inbound-rtp');
}

// Our own microphone as `track()` gives it now, measured while a connected peer connection
// sends it (any one: they all carry the same track); alone in the room, or muted, it reads 0.
// The level comes from that sender's media-source entry; a sender that already reports
// sending (outbound-rtp audio) but has no such entry is in a browser without it (Firefox),
// and from then on the meter measures the track itself. close() ends that measuring; the
// speaker detector calls it when it drops the meter.
class SentAudioMeter {
  #peers;
  #track;
  #createContext;
  #stats = new AudioLevelMeter(() => undefined, 'media-source');
  #analyser = null; // TrackAnalyser once the stats proved to lack the level
  #closed = false;

  constructor(peers, track, createContext) {
    this.#peers = peers;
    this.#track = track;
    this.#createContext = createContext;
  }

  #sender(track) {
    for (const pc of this.#peers.values()) {
      if (!connected(pc)) continue;
      const sender = pc.getSenders().find((s) => s.track === track);
      if (sender) return sender;
    }
    return null;
  }

  async read() {
    const current = this.#closed ? null : this.#track();
    const sender = current?.enabled ? this.#sender(current) : null;
    if (!sender) return this.#stats.levelOf(undefined);
    if (this.#analyser) return this.#analyser.level(current);
    const report = await sender.getStats();
    if (this.#closed) return 0;
    if (!audioEntry(report, 'media-source') && sendsAudio(report)) {
      this.#analyser = new TrackAnalyser(this.#createContext);
      return this.#analyser.level(current);
    }
    return this.#stats.levelOf(report);
  }

  close() {
    this.#closed = true;
    this.#analyser?.close();
    this.#analyser = null;
  }
}

// True when `report` has an outbound-rtp audio entry: the sender's stats are there at all.
function sendsAudio(report) {
  let found = false;
  report?.forEach((stats) => { found ||= stats.type === 'outbound-rtp' && stats.kind === 'audio'; });
  return found;
}

// createContext: makes the AudioContext if the fallback is needed (injected by tests).
export function sentAudioMeter(peers, track, { createContext = () => new AudioContext({ latencyHint: 'playback' }) } = {}) {
  return new SentAudioMeter(peers, track, createContext);
}
