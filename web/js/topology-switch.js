// The call's topology, whichever the room has — a mesh (mesh.js) or the one connection to the
// server (forwarded.js) — and the move from one to the other when the room's `topology` changes
// (docs/protocol.md, "Forwarded rooms", *Switching*). It offers the interface of Mesh, so
// CallSession, OwnMedia and Roster need not know which it is, nor that a move is under way.
//
// A move keeps the old topology until the new one carries each person's media. Person by person,
// once the new connection to them is connected and as many of their tracks flow on it as they
// announce (microphone, camera, screen), their tiles are handed the new tracks in one go — the
// old ones are dropped in the same turn, so a tile never stands empty in between — and
// `connections` points at the new connection, so the meters and Diagnostics read what is shown.
// Once everyone has moved, or after SWITCH_TIMEOUT_MS with whatever has come (said in the log),
// the old topology is closed.
//
// Back to a mesh, of each pair the one who came into the room later offers, as a newcomer would:
// that is the `opens` each person was first ensured with (those listed in `joined` were there
// before us; those announced by `participant-joined` came after; a page that reloaded counts as
// new, its rebuild ensures it afresh), so both sides of a pair agree without a word.
import { Mesh } from './mesh.js';
import { Forwarded } from './forwarded.js';

export const SWITCH_TIMEOUT_MS = 10_000;

// How many of mic, camera and screen a person says they send.
export function announcedCount(media) {
  return media ? [media.mic, media.cam, media.screen].filter(Boolean).length : 0;
}

// Whether a person's tiles may take their media from the new topology: its connection to them
// is up and at least as many of their tracks flow on it as they announce. A person who sends
// nothing moves as soon as the connection is up.
export function readyToMove({ connectionState, announced, flowing }) {
  return connectionState === 'connected' && flowing >= announced;
}

// Who serves a person first seen (or seen anew) by ensure(): outside a move, the topology the
// room has; during one, the old one if it already brings their media (a fresh start of someone
// it serves), else the new one (a newcomer, who never had the old).
export function firstServer({ target, moving, oldHasThem }) {
  if (!moving) return target;
  return oldHasThem ? (target === 'mesh' ? 'forwarded' : 'mesh') : target;
}

export class TopologySwitch {
  connections = new Map(); // participant id -> the connection whose media their tiles show
  #target;
  #mesh = null;
  #forwarded = null;
  #make;
  #events;
  #announced;
  #nameOf;
  #timeoutMs;
  #timer = null; // the running move's deadline
  #ids = new Set(); // everyone ensured, in that order
  #opens = new Map(); // id -> we offer first to them peer to peer (we came in after them)
  #servedBy = new Map(); // id -> 'mesh' | 'forwarded'
  #received = { mesh: new Map(), forwarded: new Map() }; // id -> [{ track, streams, source }]
  #watched = new WeakSet(); // tracks whose unmute is listened to
  #localTracks = new Map(); // track -> { stream, source }
  #closed = false;

  // topology: 'mesh' | 'forwarded' (protocol.topologyOf of the room's state). events: the Mesh's
  // (onTrack(remoteId, track, streams, source), onLog, onConnectionState, onNegotiationFailed)
  // and onMediaMoved(remoteId): their tiles are about to get their tracks anew, from the other
  // topology; onSettled(): a move is over (the old topology closed). announced(id): how many sources they announce (announcedCount). nameOf(id) for
  // the log. make: { mesh(options), forwarded(options) } (tests hand in stand-ins).
  constructor({ topology, iceServers, iceTransportPolicy = 'all', signaling, events, announced = () => 0,
    nameOf = (id) => id, timeoutMs = SWITCH_TIMEOUT_MS, make = null }) {
    const options = { iceServers, iceTransportPolicy, signaling };
    this.#make = make ?? {
      mesh: (more) => new Mesh({ ...options, ...more }),
      forwarded: (more) => new Forwarded({ ...options, ...more }),
    };
    this.#events = events;
    this.#announced = announced;
    this.#nameOf = nameOf;
    this.#timeoutMs = timeoutMs;
    this.#target = topology === 'forwarded' ? 'forwarded' : 'mesh';
    this.#create(this.#target);
  }

  get topology() { return this.#target; }

  // The m-sections of the server connection that carry remoteId's media (none in a mesh): what
  // the Diagnostics figures and tests attribute to them.
  midsFrom(remoteId) { return this.#forwarded?.midsFrom(remoteId) ?? []; }
  // 'mesh' or 'forwarded': whose connection their tiles show now (during a move, not always
  // the room's topology yet).
  servedBy(remoteId) { return this.#servedBy.get(remoteId) ?? this.#target; }
  get moving() { return this.#timer !== null; }

  // The first offer to the server in a forwarded room (a mesh's offers leave from ensure()).
  open() {
    return this.#target === 'forwarded' ? this.#forwarded.open() : Promise.resolve();
  }

  // As Mesh.ensure; returns the PeerLink of a mesh, or what Forwarded gives for relayed signals
  // when there is no peer-to-peer link to them (any more).
  ensure(remoteId, { opens = false } = {}) {
    // After closeAll (the call is over or starting afresh) a late signal opens nothing.
    if (this.#closed) return { opening: Promise.resolve(), receiveDescription() {}, receiveCandidate() {} };
    if (!this.#ids.has(remoteId)) {
      this.#ids.add(remoteId);
      this.#opens.set(remoteId, opens);
    }
    let end;
    if (this.#target === 'mesh') {
      this.#forwarded?.ensure(remoteId); // still serving them until the mesh does
      end = this.#mesh.ensure(remoteId, { opens });
    } else {
      const toServer = this.#forwarded.ensure(remoteId);
      end = this.#mesh?.has(remoteId) ? this.#mesh.ensure(remoteId) : toServer;
    }
    if (!this.#servedBy.has(remoteId)) {
      // Decided after the topologies have seen them: Forwarded hands over at once the tracks the
      // server already sends of them, which are held (recorded, unserved) until this is known.
      const old = this.#target === 'mesh' ? 'forwarded' : 'mesh';
      const oldHasThem = old === 'mesh' ? Boolean(this.#mesh?.has(remoteId)) : this.#current(old, remoteId).length > 0;
      const kind = firstServer({ target: this.#target, moving: this.moving, oldHasThem });
      this.#serve(remoteId, kind);
      for (const { track, streams, source } of this.#current(kind, remoteId)) this.#events.onTrack(remoteId, track, streams, source);
    }
    this.#syncConnections();
    return end;
  }

  opensTowards(remoteId) {
    return this.#servingTopology(remoteId)?.opensTowards(remoteId) ?? false;
  }

  has(remoteId) {
    return this.#ids.has(remoteId);
  }

  remove(remoteId) {
    this.#mesh?.remove(remoteId);
    this.#forwarded?.remove(remoteId);
    this.#ids.delete(remoteId);
    this.#opens.delete(remoteId);
    this.#servedBy.delete(remoteId);
    this.#received.mesh.delete(remoteId);
    this.#received.forwarded.delete(remoteId);
    this.#syncConnections();
    if (this.moving) this.#finishIfDone();
  }

  restartIce(remoteId) {
    this.#servingTopology(remoteId)?.restartIce(remoteId);
  }

  // source: 'screen' for a screen share (a forwarded room says what each track is).
  addLocalTrack(track, stream, source = null) {
    if (this.#closed) return;
    this.#localTracks.set(track, { stream, source });
    this.#mesh?.addLocalTrack(track, stream, source);
    this.#forwarded?.addLocalTrack(track, stream, source);
  }

  replaceLocalTrack(oldTrack, newTrack, stream) {
    const was = this.#localTracks.get(oldTrack);
    this.#localTracks.delete(oldTrack);
    this.#localTracks.set(newTrack, { stream, source: was?.source ?? null });
    this.#mesh?.replaceLocalTrack(oldTrack, newTrack, stream);
    this.#forwarded?.replaceLocalTrack(oldTrack, newTrack, stream);
  }

  removeLocalTrack(track) {
    this.#localTracks.delete(track);
    this.#mesh?.removeLocalTrack(track);
    this.#forwarded?.removeLocalTrack(track);
  }

  closeAll() {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#mesh?.closeAll();
    this.#forwarded?.closeAll();
    this.#mesh = this.#forwarded = null;
    for (const map of [this.#opens, this.#servedBy, this.#received.mesh, this.#received.forwarded, this.#localTracks]) map.clear();
    this.#ids.clear();
    this.connections.clear();
  }

  // What they announce changed (a `media` message): during a move they may be ready now, e.g.
  // having stopped a screen share the new connection was still waiting for.
  announcedChanged(remoteId) {
    this.#check(remoteId);
  }

  // The server dropped our connection to it (a `media-connection-lost` event, or an offer or
  // answer refused so): ICE restarts cannot bring it back, as the browser keeps the old DTLS
  // session through them, so a new connection (a new certificate) replaces it and carries
  // everything again; the people's tiles drop the old one's tracks for its.
  renewServerConnection() {
    if (this.#closed || !this.#forwarded || this.#target !== 'forwarded') return;
    this.#events.onLog(null, 'warn', 'log.server-connection-renewed', {});
    this.#forwarded.closeAll();
    this.#received.forwarded.clear();
    this.#create('forwarded');
    for (const id of this.#ids) this.#forwarded.ensure(id);
    for (const id of this.#ids) {
      if (this.#servedBy.get(id) === 'forwarded') this.#events.onMediaMoved?.(id);
    }
    this.#syncConnections();
    this.#forwarded.open();
  }

  // A server `media-offer` event.
  serverOffer(message) {
    if (this.#forwarded) this.#forwarded.receiveOffer(message);
    else this.#events.onLog(null, 'warn', 'log.server-offer-unexpected', {});
  }

  // The room's topology now (from `room-state`).
  setTopology(topology) {
    if (this.#closed || (topology !== 'mesh' && topology !== 'forwarded')) return;
    if (topology === this.#target) return;
    this.#target = topology;
    this.#events.onLog(null, 'info', `log.switch-to-${topology}`, {});
    if (topology === 'forwarded') {
      if (!this.#forwarded) this.#create('forwarded');
      for (const id of this.#ids) this.#forwarded.ensure(id);
      this.#forwarded.open();
    } else {
      if (!this.#mesh) this.#create('mesh');
      for (const id of this.#ids) this.#mesh.ensure(id, { opens: this.#opens.get(id) });
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#finish({ timedOut: true }), this.#timeoutMs);
    for (const id of this.#ids) this.#check(id);
    this.#finishIfDone();
  }

  #create(kind) {
    const events = {
      onTrack: (id, track, streams, source) => this.#onTrack(kind, id, track, streams, source),
      onLog: (id, level, key, args) => this.#events.onLog(id, level, key, args),
      onConnectionState: (id, state) => this.#onState(kind, id, state),
      // A link being given up in a move is closed anyway; one in use is recovered as ever.
      onNegotiationFailed: (id, failure) => {
        if (this.#target === kind) this.#events.onNegotiationFailed?.(id, failure);
      },
      onConnectionLost: () => { if (this.#topology(kind) === topology) this.renewServerConnection(); },
    };
    const topology = this.#make[kind]({ events });
    for (const [track, { stream, source }] of this.#localTracks) topology.addLocalTrack(track, stream, source);
    if (kind === 'mesh') this.#mesh = topology;
    else this.#forwarded = topology;
  }

  #topology(kind) {
    return kind === 'mesh' ? this.#mesh : this.#forwarded;
  }

  #servingTopology(remoteId) {
    return this.#topology(this.#servedBy.get(remoteId) ?? this.#target);
  }

  #serve(remoteId, kind) {
    this.#servedBy.set(remoteId, kind);
  }

  #onTrack(kind, remoteId, track, streams, source) {
    const list = this.#received[kind].get(remoteId) ?? [];
    if (!list.some((entry) => entry.track === track && entry.streams[0] === streams[0])) {
      list.push({ track, streams, source });
      this.#received[kind].set(remoteId, list);
    }
    if (!this.#watched.has(track)) {
      this.#watched.add(track);
      // Everyone is looked at: the server may since have given this track's m-section to another.
      track.addEventListener?.('unmute', () => { for (const id of this.#ids) this.#check(id); });
    }
    if (this.#servedBy.get(remoteId) === kind) this.#events.onTrack(remoteId, track, streams, source);
    else this.#check(remoteId);
  }

  #onState(kind, remoteId, state) {
    if (this.#servedBy.get(remoteId) === kind) this.#events.onConnectionState?.(remoteId, state);
    this.#check(remoteId);
  }

  // The tracks from `kind` that still belong to them: not ended, and still in the stream they came
  // in (a mesh's sender may have taken one away; the server may have given its m-section to
  // someone else).
  #current(kind, remoteId) {
    return (this.#received[kind].get(remoteId) ?? []).filter(({ track, streams }) => track.readyState !== 'ended'
      && (streams.length === 0 || streams.some((stream) => stream.getTracks().includes(track))));
  }

  #check(remoteId) {
    if (!this.moving || !this.#ids.has(remoteId) || this.#servedBy.get(remoteId) === this.#target) return;
    const pc = this.#topology(this.#target)?.connections.get(remoteId);
    const flowing = new Set(this.#current(this.#target, remoteId).filter(({ track }) => !track.muted).map(({ track }) => track)).size;
    if (!readyToMove({ connectionState: pc?.connectionState, announced: this.#announced(remoteId), flowing })) return;
    this.#move(remoteId);
    this.#finishIfDone();
  }

  // Their tiles drop the old topology's tracks and take the new one's, in one turn.
  #move(remoteId) {
    const kind = this.#target;
    this.#serve(remoteId, kind);
    this.#events.onMediaMoved?.(remoteId);
    for (const { track, streams, source } of this.#current(kind, remoteId)) this.#events.onTrack(remoteId, track, streams, source);
    this.#syncConnections();
    this.#events.onConnectionState?.(remoteId, this.connections.get(remoteId)?.connectionState ?? 'new');
  }

  #finishIfDone() {
    if ([...this.#ids].every((id) => this.#servedBy.get(id) === this.#target)) this.#finish({ timedOut: false });
  }

  #finish({ timedOut }) {
    if (!this.moving) return;
    clearTimeout(this.#timer);
    this.#timer = null;
    const late = [...this.#ids].filter((id) => this.#servedBy.get(id) !== this.#target);
    if (timedOut && late.length > 0) {
      this.#events.onLog(null, 'warn', 'log.switch-late', { names: late.map((id) => this.#nameOf(id)).join(', ') });
      for (const id of late) this.#move(id);
    }
    const old = this.#target === 'mesh' ? 'forwarded' : 'mesh';
    this.#topology(old)?.closeAll();
    if (old === 'mesh') this.#mesh = null;
    else this.#forwarded = null;
    this.#received[old].clear();
    this.#syncConnections();
    this.#events.onLog(null, 'info', `log.switch-done-${this.#target}`, {});
    this.#events.onSettled?.();
  }

  // In ensure order, each person's entry is the connection of the topology serving them.
  #syncConnections() {
    const entries = [];
    for (const id of this.#ids) {
      const pc = this.#servingTopology(id)?.connections.get(id);
      if (pc) entries.push([id, pc]);
    }
    this.connections.clear();
    for (const [id, pc] of entries) this.connections.set(id, pc);
  }
}
