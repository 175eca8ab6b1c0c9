// Stand-ins for the browser's WebRTC objects, just enough for forwarded.js and
// topology-switch.js under node --test: transceivers that get a mid when a description is set,
// receivers whose tracks start muted (no packets yet), signaling states, and negotiationneeded
// fired later and only while stable, as browsers do.
export class FakeTrack extends EventTarget {
  static #next = 1;
  constructor(kind, { muted = false } = {}) {
    super();
    this.kind = kind;
    this.id = `track-${FakeTrack.#next++}`;
    this.muted = muted;
    this.readyState = 'live';
    this.enabled = true;
  }

  // RTP arrived: the browser unmutes a received track.
  flow() {
    this.muted = false;
    this.dispatchEvent(new Event('unmute'));
  }
}

export class FakeMediaStream extends EventTarget {
  static #next = 1;
  #tracks;
  constructor(tracks = []) {
    super();
    this.id = `stream-${FakeMediaStream.#next++}`;
    this.#tracks = [...tracks];
  }

  getTracks() { return [...this.#tracks]; }
  getAudioTracks() { return this.#tracks.filter((t) => t.kind === 'audio'); }
  getVideoTracks() { return this.#tracks.filter((t) => t.kind === 'video'); }
  addTrack(track) { if (!this.#tracks.includes(track)) this.#tracks.push(track); }
  removeTrack(track) { this.#tracks = this.#tracks.filter((t) => t !== track); }
}

class FakeTransceiver {
  mid = null;
  stopped = false;
  #direction;
  #changed;
  constructor(kind, direction, track = null, changed = () => {}) {
    this.#direction = direction;
    this.#changed = changed;
    this.receiver = { track: new FakeTrack(kind, { muted: true }) };
    this.sender = {
      track,
      replaceTrack: async (next) => { this.sender.track = next; },
      setStreams: () => {},
    };
  }

  get direction() { return this.#direction; }
  set direction(value) {
    if (value === this.#direction) return;
    this.#direction = value;
    this.#changed();
  }
}

// An SDP stand-in: the fake's own descriptions list their m-sections, so an offer "from the
// server" is a list of { mid, kind } (see serverSdp).
export const serverSdp = (sections) => JSON.stringify(sections);

export class FakePeerConnection {
  static made = [];
  signalingState = 'stable';
  connectionState = 'new';
  iceConnectionState = 'new';
  localDescription = null;
  remoteDescription = null;
  onnegotiationneeded = null;
  onconnectionstatechange = null;
  oniceconnectionstatechange = null;
  restarts = 0;
  failNextRemote = null;
  #transceivers = [];
  #nextMid = 0;
  #needed = false; // something changed that no offer has carried yet

  constructor(config) {
    this.config = config;
    FakePeerConnection.made.push(this);
  }

  addTransceiver(trackOrKind, { direction = 'sendrecv' } = {}) {
    const track = typeof trackOrKind === 'string' ? null : trackOrKind;
    const transceiver = new FakeTransceiver(track ? track.kind : trackOrKind, direction, track, () => this.#negotiationNeeded());
    this.#transceivers.push(transceiver);
    this.#negotiationNeeded();
    return transceiver;
  }

  addTrack(track) {
    return this.addTransceiver(track, { direction: 'sendrecv' }).sender;
  }

  getTransceivers() { return [...this.#transceivers]; }
  getSenders() { return this.#transceivers.map((t) => t.sender); }
  getReceivers() { return this.#transceivers.map((t) => t.receiver); }

  async setLocalDescription(description) {
    await null;
    if (description?.type === 'rollback') {
      this.signalingState = 'stable';
      return;
    }
    if (this.signalingState === 'have-remote-offer') {
      this.localDescription = { type: 'answer', sdp: 'answer' };
      this.signalingState = 'stable';
      this.#fireIfNeeded();
      return;
    }
    this.#needed = false;
    for (const transceiver of this.#transceivers) transceiver.mid ??= String(this.#nextMid++);
    const sections = this.#transceivers.map((t) => ({ mid: t.mid, direction: t.direction }));
    this.localDescription = { type: 'offer', sdp: JSON.stringify({ sections, iceRestart: this.restarts }) };
    this.signalingState = 'have-local-offer';
  }

  async setRemoteDescription(description) {
    await null;
    if (this.failNextRemote) {
      const error = new Error(this.failNextRemote);
      this.failNextRemote = null;
      throw error;
    }
    this.remoteDescription = description;
    if (description.type === 'answer') {
      this.signalingState = 'stable';
      this.#fireIfNeeded();
      return;
    }
    if (this.signalingState !== 'stable') throw new Error(`offer in ${this.signalingState}`);
    for (const { mid, kind } of JSON.parse(description.sdp)) {
      if (this.#transceivers.some((t) => t.mid === mid)) continue;
      const transceiver = new FakeTransceiver(kind, 'recvonly', null, () => this.#negotiationNeeded());
      transceiver.mid = mid;
      this.#nextMid = Math.max(this.#nextMid, Number(mid) + 1);
      this.#transceivers.push(transceiver);
    }
    this.signalingState = 'have-remote-offer';
  }

  restartIce() {
    this.restarts += 1;
    this.#negotiationNeeded();
  }

  setConnectionState(state) {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }

  async addIceCandidate() {}
  removeTrack() {}
  close() { this.signalingState = 'closed'; this.connectionState = 'closed'; }

  #negotiationNeeded() {
    this.#needed = true;
    this.#fireIfNeeded();
  }

  #fireIfNeeded() {
    setImmediate(() => { if (this.#needed && this.signalingState === 'stable') this.onnegotiationneeded?.(); });
  }
}

export function installFakes() {
  globalThis.RTCPeerConnection = FakePeerConnection;
  globalThis.MediaStream = FakeMediaStream;
  globalThis.window ??= { addEventListener() {}, removeEventListener() {} };
}

// Everything queued so far (promises, the fake's events) has run.
export const settle = async (rounds = 3) => {
  for (let i = 0; i < rounds; i += 1) await new Promise((resolve) => setImmediate(resolve));
};

// A signaling that records what is sent and lets a test answer each request.
export function fakeSignaling() {
  const sent = [];
  return {
    sent,
    request(message) {
      return new Promise((resolve, reject) => sent.push({ message, resolve, reject }));
    },
    send(message) { sent.push({ message }); return true; },
  };
}
