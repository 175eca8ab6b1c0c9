// How loud an audio stream has been since it was last asked, from what WebRTC already adds up
// for it: the stats spec's totalAudioEnergy over totalSamplesDuration, the mean square level of
// the interval between two readings. For audio received from a peer that is the receiver's
// inbound-rtp entry; for our own microphone, the media-source entry of a sender carrying it.
// No AudioContext: one would run an audio thread and an extra output stream in the page for
// the whole call, and starting it costs tens of milliseconds right when Join is pressed.
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
    const report = await this.#report();
    let entry = null;
    report?.forEach((stats) => {
      if (stats.type === this.#statType && stats.kind === 'audio' && typeof stats.totalAudioEnergy === 'number') entry = stats;
    });
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

// Our own microphone as `track()` gives it now, measured where a peer connection sends it
// (any connected one: they all carry the same track). Alone in the room there is nothing to
// read.
export function sentAudioMeter(peers, track) {
  return new AudioLevelMeter(() => {
    const current = track();
    if (!current?.enabled) return undefined;
    for (const pc of peers.values()) {
      if (!connected(pc)) continue;
      const sender = pc.getSenders().find((s) => s.track === current);
      if (sender) return sender.getStats();
    }
    return undefined;
  }, 'media-source');
}
