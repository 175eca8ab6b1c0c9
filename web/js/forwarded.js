// A forwarded room (docs/protocol.md, "Forwarded rooms"): ONE RTCPeerConnection, to the server,
// carries what we send and everyone else's media. It offers the interface of Mesh (mesh.js), so
// the call need not know how media reach it.
//
// `connections` maps every other participant to that one server connection. That is what its
// readers need: the received-audio meter looks a person's track up among its receivers, the
// sent-audio meter finds our microphone among its senders, the tile and the People panel show
// its state for everyone (when it fails, nobody is heard), and Diagnostics shows it under each
// person — the same numbers under each, being the whole connection's, not that person's.
//
// Negotiation. We offer (a `media-offer` request) when we start, when we start or stop sending
// something and to restart ICE; the server offers (a `media-offer` event) when what the others
// send changes. Steps run one at a time. The server never offers while our offer waits for its
// answer, so a server offer that arrives then crossed ours: it is ignored, and the server
// answers ours and offers again with everything (it yields). Which received track is whose comes
// from the `tracks` of each server offer (mid -> from, source), and is worked out anew from every
// offer: a transceiver the server stops using may later carry someone else.
//
// Our first offer on a connection also has receive-only m-sections, an audio and a video one
// for each person already in the room: the server's answer puts their tracks there and says
// whose they are, so they come without waiting for a second negotiation (the server's offer).
// What does not fit is offered by the server as before, and spare sections are reused by it.
//
// Received tracks are put in streams of our own making, one per person for microphone and
// camera and one for their screen, so the roster shows them as it does a mesh's (one tile with
// voice and picture, the screen in its own): the server's msids are not the senders' streams.
import { IceHealer } from './ice-healer.js';
import * as protocol from './protocol.js';

// An offer that got no answer (no reply in time, the socket closed meanwhile, rate-limited) is
// made again after a pause, a few times; one the server could not use (bad-sdp) would only fail
// again, and one refused as not-forwarded waits for the room to say what it is now.
const RETRY_MS = 2000;
const MAX_RETRIES = 3;

// What our offer says we send: the mid and source of each m-section sending a track.
// sending: Map transceiver -> { track, source } for the transceivers we made.
export function sendingTracks(transceivers, sending) {
  const tracks = [];
  for (const transceiver of transceivers) {
    const what = sending.get(transceiver);
    if (!what?.track || transceiver.mid == null || transceiver.stopped) continue;
    if (!String(transceiver.direction).startsWith('send')) continue;
    tracks.push({ mid: transceiver.mid, source: what.source });
  }
  return tracks;
}

// tracks (a server offer's, as protocol.readMediaOffer gives them) -> Map mid -> { from, source }.
export const assignmentsOf = (tracks) => new Map(tracks.map(({ mid, from, source }) => [mid, { from, source }]));

// What changed between two offers' assignments: `gone` ([mid, owner] no longer so: removed from
// the owner's stream), then `came` ([mid, owner] new: added). A mid that changed hands is in both.
export function assignmentChanges(before, after) {
  const same = (a, b) => a && b && a.from === b.from && a.source === b.source;
  const gone = [...before].filter(([mid, owner]) => !same(owner, after.get(mid)));
  const came = [...after].filter(([mid, owner]) => !same(owner, before.get(mid)));
  return { gone, came };
}

// What to do with a server offer numbered `version`: 'old' (at or below one applied: a replay),
// 'superseded' (a newer one has arrived: the server would refuse an answer as stale-offer),
// 'crossed' (our offer is out: ignored, the server yields and offers again), or 'apply'.
export function serverOfferVerdict({ version, applied, newest, ourOfferOut }) {
  if (version <= applied) return 'old';
  if (version < newest) return 'superseded';
  if (ourOfferOut) return 'crossed';
  return 'apply';
}

// What to do when our offer failed with `code`: 'wait' (not-forwarded: the room-state that
// says so is on its way), 'give-up' (bad-sdp: the same offer would be refused again), 'renew'
// (media-connection-lost: the server dropped this connection, only a new one helps), 'retry'.
export function offerFailureAction(code) {
  if (code === 'not-forwarded') return 'wait';
  if (code === 'media-connection-lost') return 'renew';
  if (code === 'bad-sdp') return 'give-up';
  return 'retry';
}

export class Forwarded {
  connections = new Map(); // participant id -> the server connection, for everyone we know
  opening = Promise.resolve(); // settles once the latest offer has been handed to the signaling
  #pc;
  #signaling;
  #events;
  #opened = false;
  #closed = false;
  #chain = Promise.resolve();
  #offerOut = false; // an offer of ours is queued or made and its reply has not come yet
  #retries = 0;
  #retryTimer = null;
  #newestVersion = -1; // of the server offers seen
  #appliedVersion = -1;
  #sending = new Map(); // transceiver -> { track (null: free to reuse), source }
  #assigned = new Map(); // mid -> { from, source } as the last server offer applied says
  #receivedTracks = new Map(); // mid -> the track its receiver had when assigned
  #streams = new Map(); // participant id -> { camera: MediaStream, screen: MediaStream }
  #healer;
  #receiveSlotsMade = false;

  // The m-sections whose tracks are remoteId's, as the last server offer applied says.
  midsFrom(remoteId) {
    return [...this.#assigned].filter(([, owner]) => owner.from === remoteId).map(([mid]) => mid);
  }

  // events: { onTrack(remoteId, track, streams, source), onLog(remoteId, level, key, args),
  //           onConnectionState(remoteId, state), onConnectionLost() }. Log lines about the server
  // pass a null id. onConnectionLost: the server refused this connection as one it dropped
  // (media-connection-lost); whoever made this Forwarded makes a new one.
  constructor({ iceServers, iceTransportPolicy = 'all', signaling, events }) {
    this.#signaling = signaling;
    this.#events = events;
    this.#pc = new RTCPeerConnection({ iceServers, iceTransportPolicy });
    this.#wire();
    this.#healer = new IceHealer(this.#pc, (why) => this.#restartIce(why));
  }

  // Makes the first offer (on joining a forwarded room, or when the room becomes one), once the
  // local tracks are added, and offers again if it is called later (the room came back to
  // forwarded while this connection was kept). Resolves once the offer is handed over.
  open() {
    this.#opened = true;
    this.#negotiate();
    return this.opening;
  }

  // The server connection stands for everyone. A person seen anew (who came in, or whose tile
  // was emptied for a fresh start) is handed the tracks the server already sends us of them.
  ensure(remoteId) {
    if (!this.connections.has(remoteId)) {
      this.connections.set(remoteId, this.#pc);
      for (const [mid, owner] of this.#assigned) {
        if (owner.from === remoteId) this.#hand(mid, owner);
      }
    }
    return this.#endFor(remoteId);
  }

  // Their tracks stay as the server's offers have them: the server takes them away when they go.
  remove(remoteId) {
    this.connections.delete(remoteId);
  }

  has(remoteId) {
    return this.connections.has(remoteId);
  }

  // We always make the first offer to the server.
  opensTowards(remoteId) {
    return this.connections.has(remoteId);
  }

  // Whoever it is asked for, the one connection is restarted: it is theirs too.
  restartIce() {
    this.#restartIce('asked');
  }

  // source: 'screen' for a screen share; otherwise the track's kind says microphone or camera.
  // A transceiver left by a stopped track of the same kind is reused, so sharing the screen on
  // and off does not grow the session by an m-section each time.
  addLocalTrack(track, stream, source = null) {
    if (this.#closed || [...this.#sending.values()].some((what) => what.track === track)) return;
    const what = { track, source: source ?? (track.kind === 'audio' ? 'microphone' : 'camera') };
    const free = [...this.#sending].find(([transceiver, was]) => !was.track && !transceiver.stopped
      && transceiver.receiver.track.kind === track.kind)?.[0];
    if (free) {
      this.#sending.set(free, what);
      free.sender.replaceTrack(track).catch((error) => this.#logDeviceError(error));
      free.sender.setStreams?.(stream);
      free.direction = 'sendonly';
      return;
    }
    const transceiver = this.#pc.addTransceiver(track, { direction: 'sendonly', streams: [stream] });
    this.#sending.set(transceiver, what);
  }

  // The same kind of media from another device: same m-section, nothing renegotiated.
  replaceLocalTrack(oldTrack, newTrack) {
    const transceiver = this.#transceiverSending(oldTrack);
    if (!transceiver || this.#closed) return;
    this.#sending.get(transceiver).track = newTrack;
    transceiver.sender.replaceTrack(newTrack).catch((error) => this.#logDeviceError(error));
  }

  removeLocalTrack(track) {
    const transceiver = this.#transceiverSending(track);
    if (!transceiver) return;
    this.#sending.get(transceiver).track = null;
    if (this.#closed) return;
    transceiver.sender.replaceTrack(null).catch(() => {});
    transceiver.direction = 'inactive';
  }

  // A server `media-offer` event.
  receiveOffer(message) {
    if (this.#closed) return;
    const offer = protocol.readMediaOffer(message);
    if (!offer) {
      this.#log('warn', 'log.server-offer-malformed', {});
      return;
    }
    const verdict = serverOfferVerdict({ version: offer.version, applied: this.#appliedVersion,
      newest: this.#newestVersion, ourOfferOut: this.#offerOut });
    this.#newestVersion = Math.max(this.#newestVersion, offer.version);
    if (verdict === 'old') return;
    if (verdict === 'crossed') {
      this.#log('info', 'log.server-offer-crossed', { version: offer.version });
      return;
    }
    this.#log('info', 'log.server-offer-received', { version: offer.version });
    this.#enqueue(() => this.#applyServerOffer(offer));
  }

  closeAll() {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#retryTimer);
    this.#healer.stop();
    this.#pc.close();
    this.connections.clear();
    this.#sending.clear();
  }

  // What ensure() hands back where a mesh gives its PeerLink: relayed peer-to-peer signals have
  // no place here (a client that still thinks the room is a mesh); they are said and dropped.
  #endFor(remoteId) {
    const self = this;
    return {
      get opening() { return self.opening; },
      receiveDescription: ({ type }) => this.#events.onLog(remoteId, 'warn', 'log.relay-in-forwarded-room', { kind: type }),
      receiveCandidate: () => {},
    };
  }

  #wire() {
    const pc = this.#pc;
    pc.onnegotiationneeded = () => this.#negotiate();
    // The server is ICE-lite: it learns our addresses from our checks, so ours are not sent.
    pc.onicecandidate = null;
    pc.oniceconnectionstatechange = () => {
      const state = pc.iceConnectionState;
      this.#log(state === 'failed' ? 'warn' : 'info', 'log.server-ice-state', { state });
      this.#healer.onIceState(state);
    };
    pc.onconnectionstatechange = () => {
      this.#log('info', 'log.server-connection-state', { state: pc.connectionState });
      for (const remoteId of [...this.connections.keys()]) this.#events.onConnectionState?.(remoteId, pc.connectionState);
    };
  }

  // We are the controlling, full-ICE side towards an ICE-lite server: restarts are ours to make.
  #restartIce(why) {
    if (this.#closed || !this.#opened || this.#pc.connectionState === 'closed') return;
    if (why === 'online' && !this.#pc.remoteDescription) return; // nothing to restart yet
    this.#log('info', 'log.server-ice-restart', {});
    this.#pc.restartIce(); // the next offer carries new credentials; negotiationneeded follows
  }

  // One offer at a time: a change made while ours is out is offered once it is answered (the
  // browser fires negotiationneeded again then, if the answer did not cover it).
  #negotiate() {
    if (this.#closed || !this.#opened || this.#offerOut) return;
    this.#offerOut = true;
    let handedOver;
    this.opening = new Promise((resolve) => { handedOver = resolve; });
    this.#enqueue(() => this.#offer(handedOver));
  }

  async #offer(handedOver) {
    const pc = this.#pc;
    try {
      if (this.#closed || pc.signalingState !== 'stable') return;
      if (!pc.remoteDescription) this.#addReceiveSlots();
      await pc.setLocalDescription();
      const tracks = sendingTracks(pc.getTransceivers(), this.#sending);
      const request = this.#signaling.request(protocol.mediaOffer({ sdp: pc.localDescription.sdp, tracks }));
      this.#log('info', 'log.server-offer-sent', { count: tracks.length });
      handedOver();
      let reply;
      try {
        reply = await request;
      } finally {
        // From here the server counts our offer answered: an offer of its own is a new one.
        this.#offerOut = false;
      }
      if (this.#closed) return;
      const answer = protocol.readMediaAnswer(reply);
      await pc.setRemoteDescription({ type: 'answer', sdp: answer?.sdp ?? reply.sdp });
      if (answer?.tracks) this.#assign(answer.tracks);
      this.#retries = 0;
    } catch (error) {
      this.#offerOut = false;
      if (!this.#closed) await this.#offerFailed(error);
    } finally {
      this.#offerOut = false;
      handedOver();
    }
  }

  async #offerFailed(error) {
    const code = String(error?.code ?? 'unknown');
    const message = String(error?.message ?? error).slice(0, 300);
    if (this.#pc.signalingState === 'have-local-offer') {
      await this.#pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
    }
    const action = offerFailureAction(code);
    if (action === 'renew') {
      this.#events.onConnectionLost?.();
    } else if (action === 'wait') {
      this.#log('info', 'log.server-not-forwarded', {});
    } else if (action === 'give-up') {
      this.#log('error', 'log.server-offer-refused', { message });
    } else if (this.#retries < MAX_RETRIES) {
      this.#retries += 1;
      this.#log('warn', 'log.server-offer-failed', { code });
      clearTimeout(this.#retryTimer);
      this.#retryTimer = setTimeout(() => this.#negotiate(), RETRY_MS);
    } else {
      this.#log('error', 'log.server-offer-gave-up', { code });
    }
  }

  async #applyServerOffer(offer) {
    const pc = this.#pc;
    const verdict = serverOfferVerdict({ version: offer.version, applied: this.#appliedVersion,
      newest: this.#newestVersion, ourOfferOut: false });
    if (verdict !== 'apply') {
      this.#log('info', 'log.server-offer-superseded', { version: offer.version });
      return;
    }
    try {
      await pc.setRemoteDescription({ type: 'offer', sdp: offer.sdp });
      await pc.setLocalDescription();
    } catch (error) {
      // The contract has no way to tell the server; its next offer (someone's media changing)
      // is tried afresh. Said in the log, in case nothing arrives meanwhile.
      this.#log('error', 'log.server-offer-unusable', { version: offer.version, message: String(error?.message ?? error).slice(0, 300) });
      if (pc.signalingState === 'have-remote-offer') await pc.setLocalDescription({ type: 'rollback' }).catch(() => {});
      return;
    }
    this.#appliedVersion = offer.version;
    this.#assign(offer.tracks);
    this.#log('info', 'log.server-answer-sent', { version: offer.version });
    this.#signaling.request(protocol.mediaAnswer({ version: offer.version, sdp: pc.localDescription.sdp })).catch((error) => {
      if (error?.code === 'stale-offer') this.#log('info', 'log.server-answer-stale', { version: offer.version });
      else if (error?.code === 'media-connection-lost') this.#events.onConnectionLost?.();
      else this.#log('error', 'log.server-answer-failed', { version: offer.version, code: String(error?.code ?? 'unknown') });
    });
  }

  // Receive-only transceivers for the people known now, made once per connection, before its
  // first offer (a retry of that offer finds them made). Their tracks come in the answer.
  #addReceiveSlots() {
    if (this.#receiveSlotsMade) return;
    this.#receiveSlotsMade = true;
    for (let i = 0; i < this.connections.size; i++) {
      this.#pc.addTransceiver('audio', { direction: 'recvonly' });
      this.#pc.addTransceiver('video', { direction: 'recvonly' });
    }
  }

  // Moves received tracks between people's streams as the offer's `tracks` say.
  #assign(tracks) {
    const next = assignmentsOf(tracks);
    const { gone, came } = assignmentChanges(this.#assigned, next);
    for (const [mid, owner] of gone) {
      const track = this.#receivedTracks.get(mid);
      this.#receivedTracks.delete(mid);
      if (track) this.#takeOut(this.#streamOf(owner), track);
    }
    const transceivers = this.#pc.getTransceivers();
    this.#assigned = new Map();
    for (const [mid, owner] of next) {
      if (!came.some(([cameMid]) => cameMid === mid)) {
        this.#assigned.set(mid, owner);
        continue;
      }
      const track = transceivers.find((transceiver) => transceiver.mid === mid)?.receiver.track;
      if (!track) {
        this.#log('warn', 'log.server-track-missing', { mid });
        continue;
      }
      this.#assigned.set(mid, owner);
      this.#receivedTracks.set(mid, track);
      this.#hand(mid, owner);
    }
  }

  // Puts the track of `mid` in its owner's stream and tells the call, once the call knows them
  // (ensure() hands it over otherwise, when they become known).
  #hand(mid, owner) {
    const track = this.#receivedTracks.get(mid);
    if (!track) return;
    const stream = this.#streamOf(owner);
    if (!stream.getTracks().includes(track)) stream.addTrack(track);
    if (this.connections.has(owner.from)) this.#events.onTrack(owner.from, track, [stream], owner.source);
  }

  #streamOf({ from, source }) {
    let streams = this.#streams.get(from);
    if (!streams) {
      streams = { camera: new MediaStream(), screen: new MediaStream() };
      this.#streams.set(from, streams);
    }
    return source === 'screen' ? streams.screen : streams.camera;
  }

  // The browser fires removetrack only on streams it made; these are ours, so we say it, and
  // whoever shows the stream (ParticipantStreams) hears it as it would from a mesh.
  #takeOut(stream, track) {
    if (!stream.getTracks().includes(track)) return;
    stream.removeTrack(track);
    if (typeof MediaStreamTrackEvent === 'function') stream.dispatchEvent(new MediaStreamTrackEvent('removetrack', { track }));
    else stream.dispatchEvent(Object.assign(new Event('removetrack'), { track }));
  }

  #transceiverSending(track) {
    for (const [transceiver, what] of this.#sending) if (what.track === track) return transceiver;
    return null;
  }

  #logDeviceError(error) {
    this.#log('error', 'log.device-switch-failed', { message: error.message });
  }

  #log(level, key, args) {
    this.#events.onLog(null, level, key, args);
  }

  #enqueue(step) {
    this.#chain = this.#chain.then(() => (this.#closed ? undefined : step())).catch((error) => {
      this.#log('error', 'log.uncaught', { message: String(error?.message ?? error) });
    });
  }
}
