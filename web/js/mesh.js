// The full mesh: one PeerLink per other participant. Knows which local tracks every link must
// send (camera/mic stream and, while sharing, the screen), so a late joiner gets them all.
//
// It is the call's topology, and CallSession, OwnMedia and Roster use nothing of it but this
// interface: `connections` (Map<participantId, RTCPeerConnection>, where the meters, the
// Diagnostics panel and the debug handle look), ensure(id, { opens }), remove(id), has(id),
// restartIce(id), opensTowards(id), addLocalTrack / replaceLocalTrack / removeLocalTrack, and
// closeAll(). Forwarded (forwarded.js: the server as the one peer) offers the same, and
// TopologySwitch (topology-switch.js) stands for whichever the room has, and moves between them.
// addLocalTrack's optional third argument, the source ('screen'), matters only to Forwarded.
import { PeerLink } from './peer-link.js';

export class Mesh {
  #links = new Map();
  #localTracks = new Map(); // track -> stream
  #iceServers;
  #iceTransportPolicy;
  #signaling;
  #events;
  connections = new Map();

  // events: { onTrack(remoteId, track, streams), onLog(remoteId, level, key, args),
  //           onConnectionState(remoteId, state), onNegotiationFailed(remoteId, failure) }
  constructor({ iceServers, iceTransportPolicy = 'all', signaling, events }) {
    this.#iceServers = iceServers;
    this.#iceTransportPolicy = iceTransportPolicy;
    this.#signaling = signaling;
    this.#events = events;
  }

  // opens: we are the newcomer towards remoteId (they were in the room when we came, or we
  // reloaded), so we open the negotiation as the impolite side; otherwise they will, and we
  // are polite (see peer-link.js). An existing link keeps the role it was made with.
  ensure(remoteId, { opens = false } = {}) {
    let link = this.#links.get(remoteId);
    if (link) return link;
    link = new PeerLink({
      remoteId,
      polite: !opens,
      iceServers: this.#iceServers,
      iceTransportPolicy: this.#iceTransportPolicy,
      signaling: this.#signaling,
      events: {
        onTrack: (track, streams) => this.#events.onTrack(remoteId, track, streams),
        onLog: (level, key, args) => this.#events.onLog(remoteId, level, key, args),
        onConnectionState: (state) => this.#events.onConnectionState?.(remoteId, state),
        onNegotiationFailed: (failure) => this.#events.onNegotiationFailed?.(remoteId, failure),
      },
    });
    this.#links.set(remoteId, link);
    this.connections.set(remoteId, link.pc);
    for (const [track, stream] of this.#localTracks) link.addTrack(track, stream);
    if (opens) link.open();
    return link;
  }

  // Whether we opened (or open) the first negotiation with remoteId.
  opensTowards(remoteId) {
    const link = this.#links.get(remoteId);
    return Boolean(link && !link.polite);
  }

  has(remoteId) {
    return this.#links.has(remoteId);
  }

  remove(remoteId) {
    const link = this.#links.get(remoteId);
    if (!link) return;
    link.close();
    this.#links.delete(remoteId);
    this.connections.delete(remoteId);
  }

  restartIce(remoteId) {
    this.#links.get(remoteId)?.restartIce();
  }

  addLocalTrack(track, stream) {
    this.#localTracks.set(track, stream);
    for (const link of this.#links.values()) link.addTrack(track, stream);
  }

  replaceLocalTrack(oldTrack, newTrack, stream) {
    this.#localTracks.delete(oldTrack);
    this.#localTracks.set(newTrack, stream);
    for (const link of this.#links.values()) link.replaceTrack(oldTrack, newTrack);
  }

  removeLocalTrack(track) {
    this.#localTracks.delete(track);
    for (const link of this.#links.values()) link.removeTrack(track);
  }

  closeAll() {
    for (const id of [...this.#links.keys()]) this.remove(id);
    this.#localTracks.clear();
  }
}
