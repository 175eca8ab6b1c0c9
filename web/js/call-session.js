// One stay in a room: the signaling socket, the mesh of peer connections, the tiles, the
// speaker highlight and the call controls. The stay heals itself: while only the signaling
// socket is down, Signaling resumes it and the peer connections (and media) carry on; if the
// place could not be kept (the server restarted, or the grace period ran out) it joins again
// as a new participant with fresh peers, and says so. join() may also be called again by hand
// (the last-resort Reconnect button). resume() takes the place back after a page reload.
import { h } from './dom.js';
import { Signaling } from './signaling.js';
import { Mesh } from './mesh.js';
import { Grid } from './grid.js';
import { announce as say } from './announcer.js';
import { Controls } from './controls.js';
import { DevicePicker } from './device-picker.js';
import { receivedAudioMeter, sentAudioMeter } from './audio-level-meter.js';
import { SpeakerDetector } from './speaker-detector.js';
import { captureScreen, supportsScreenShare } from './screen-share.js';
import { copyText } from './clipboard.js';
import { roomLink } from './router.js';
import { debugHandle, setAppState } from './debug-handle.js';
import { errorText } from './error-messages.js';
import { waitInLine } from './waiting-line.js';
import { ParticipantStreams } from './participant-streams.js';
import { RoomControl } from './room-control.js';
import { DiagnosticsPanel } from './diagnostics-panel.js';
import { signalingWithFaults } from './signal-faults.js';
import { SignalingError } from './signaling-error.js';
import { saveResume, clearResume } from './resume-store.js';

const PROTOCOL_VERSION = 1;
const LEAVE_REPLY_TIMEOUT_MS = 3000;
// A pair whose descriptions keep being refused (e.g. a third-party client whose SDP this browser
// cannot use) starts a fresh connection this many times, then stops and says so.
const MAX_NEGOTIATION_RETRIES = 2;
const SESSION_END_NOTICES = {
  'time-up': 'notice.session-time-up',
  'host-ended': 'notice.session-ended',
  'slot-ended': 'notice.slot-ended',
};

function mediaFrom(value = {}) {
  return {
    mic: Boolean(value.mic),
    cam: Boolean(value.cam),
    screen: Boolean(value.screen),
    screenStream: typeof value.screenStream === 'string' ? value.screenStream : '',
  };
}

export class CallSession {
  #room;
  #name;
  #media;
  #log;
  #notices;
  #onLeft;
  #signaling = null;
  #unsubscribe = [];
  #mesh = null;
  #grid = null;
  #controls;
  #devices; // DevicePicker: camera, microphone and speaker in the call
  #devicesCard;
  #speaker;
  #stage;
  #participants = new Map(); // id -> { id, name, media, streams: ParticipantStreams }
  #selfId = null;
  #screen = null; // { stream, track } while sharing
  #ready = false;
  #backlog = [];
  #ended = false;
  #maxRoomSize = null; // known once joined
  #clockLogged = false;
  #access;
  #showWaiting;
  #roomControl = null;
  #diagnostics = null;
  #panelSlot;
  #connect;
  element;

  // access: { settings?, password? } for the join; showWaiting(element | null) puts the
  // waiting-in-line screen up or takes it down. connect() gives the signaling for the first
  // join or resume: an open Signaling (e.g. one the pre-join screen opened ahead) or a promise
  // of one; later joins open their own.
  constructor({ room, name, media, log, notices, onLeft, access = {}, showWaiting = () => {}, connect = null }) {
    this.#room = room;
    this.#connect = connect;
    this.#access = access;
    this.#showWaiting = showWaiting;
    this.#name = name;
    this.#media = media;
    this.#log = log;
    this.#notices = notices;
    this.#onLeft = onLeft;
    this.#speaker = new SpeakerDetector((id) => this.#grid?.setActiveSpeaker(id));
    this.#controls = new Controls({
      mic: () => this.#toggleDevice('audio'),
      cam: () => this.#toggleDevice('video'),
      screen: () => this.#toggleScreen(),
      devices: () => this.#toggleDevices(),
      copyLink: () => this.#copyLink(),
      leave: () => this.leave(),
    }, { screenSupported: supportsScreenShare });
    this.#devices = new DevicePicker({
      media, prefix: 'call-device', onChosen: (kind, result) => this.#deviceChosen(kind, result),
    });
    this.#devicesCard = h('section', { class: 'card call__devices', id: 'call-devices', 'data-testid': 'call-devices',
      hidden: true, 'aria-labelledby': 'call-devices-title' },
    h('h2', { class: 'card__title', id: 'call-devices-title', t: 'call.devices-title' }),
    this.#devices.fields);
    this.#stage = h('div', { class: 'call__stage' });
    this.#panelSlot = h('div', { class: 'call__panel' });
    this.element = h('section', { class: 'call', 'data-testid': 'call', ta: { 'aria-label': 'call.label' } },
      h('h1', { class: 'visually-hidden', t: ['call.heading', { room }] }),
      h('div', { class: 'call__body' }, this.#stage, this.#panelSlot),
      this.#controls.element);
  }

  get maxRoomSize() { return this.#maxRoomSize; }

  // Connects and joins. Rejects with a SignalingError (connect-failed, room-full, ...).
  async join() {
    const media = this.#media;
    const request = {
      type: 'join', v: PROTOCOL_VERSION, room: this.#room, name: this.#name,
      media: { mic: media.micOn, cam: media.camOn, screen: false },
    };
    if (this.#access.settings) request.settings = this.#access.settings;
    if (this.#access.password) request.password = this.#access.password;
    await this.#enter((signaling) => signaling.request(request));
  }

  // After a page reload: takes the place kept under `token` back (same id, role, place in
  // line). Rejects with a SignalingError (resume-failed when the place is gone).
  async resume(token) {
    await this.#enter(async (signaling) => {
      const reply = await signaling.resumeSnapshot(token);
      if (!reply.snapshot || typeof reply.snapshot.type !== 'string') throw new SignalingError('resume-failed');
      this.#log.info('log.resumed-reload');
      return reply.snapshot;
    });
    if (this.#ready) this.#sendMedia(); // the devices may have come back otherwise than before
  }

  // Connects, gets `joined` or `waiting` from `ask(signaling)`, waits in line if need be.
  async #enter(ask) {
    this.#ended = false;
    setAppState('joining');
    this.#log.info('log.connecting');
    const connect = this.#connect ?? CallSession.#openSignaling;
    this.#connect = null;
    let signaling = connect();
    // Synchronously when it is open already, so the request goes out in this very turn.
    if (!(signaling instanceof Signaling)) signaling = await signaling;
    this.#signaling = signaling;
    this.#subscribe(signaling);
    let joined;
    try {
      const reply = await ask(signaling);
      joined = reply.type === 'waiting'
        ? await waitInLine({ signaling, firstReply: reply, notices: this.#notices, log: this.#log, show: this.#showWaiting })
        : reply;
      if (reply.type === 'waiting') say('announce.admitted');
    } catch (error) {
      this.#dropSignaling();
      clearResume(this.#room);
      throw error;
    }
    if (this.#ended) return; // left (or the page moved on) while waiting in line
    // The offers to those already here leave before the call screen is built: that takes the
    // page a while, and the answers are on their way meanwhile (handled once it is up).
    await this.#openPeers(joined);
    if (this.#ended) return;
    this.#onJoined(joined);
  }

  static async #openSignaling() {
    const signaling = new Signaling();
    await signaling.connect();
    return signaling;
  }

  // Leaving is immediate for the person; the server is told in the background.
  leave() {
    this.#end({ tellServer: true });
  }

  // Out of the call, by choice or because the server says so (kicked, session over). onLeft
  // gets what media the person had, so "Rejoin" can bring the same back, and the notice to
  // show on the screen that follows.
  #end({ tellServer, notice = null }) {
    if (this.#ended) return;
    this.#ended = true;
    clearResume(this.#room); // over for good: a reload starts afresh
    this.#notices.dismiss('reconnecting');
    const signaling = this.#signaling;
    this.#signaling = null;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    const media = this.#media;
    const had = { audio: Boolean(media.audioTrack), video: Boolean(media.videoTrack), mic: media.micOn, cam: media.camOn };
    this.#teardown();
    this.#controls.destroy();
    this.#devices.destroy();
    media.stop();
    this.#log.info('log.left');
    if (signaling && tellServer) {
      signaling.request({ type: 'leave' }, LEAVE_REPLY_TIMEOUT_MS).catch(() => {}).finally(() => signaling.close());
    } else {
      signaling?.close();
    }
    this.#onLeft(had, notice);
  }

  // The page is going away: close without ceremony (the server sees the socket close).
  abandon() {
    this.#ended = true;
    this.#teardown();
    this.#controls.destroy();
    this.#devices.destroy();
    this.#dropSignaling();
  }

  // Resolves once an offer to everyone already in the room has been handed to the signaling.
  #openPeers(joined) {
    this.#selfId = joined.you?.id ?? null;
    this.#mesh = new Mesh({
      iceServers: Array.isArray(joined.iceServers) ? joined.iceServers : [],
      // 'relay' when the operator hides participants' addresses behind TURN (--ice-transport-policy).
      iceTransportPolicy: joined.iceTransportPolicy === 'relay' ? 'relay' : 'all',
      signaling: signalingWithFaults(this.#signaling),
      peers: debugHandle.peers,
      events: {
        onTrack: (remoteId, track, streams) => this.#onTrack(remoteId, track, streams),
        onLog: (remoteId, level, key, args) => this.#log.add(key, { ...args, name: this.#nameOf(remoteId) }, level),
        onConnectionState: (remoteId, state) => this.#onPeerState(remoteId, state),
        onNegotiationFailed: (remoteId, failure) => this.#startOverWith(remoteId, { opens: false, reason: failure.reason }),
      },
    });
    for (const track of this.#media.stream.getTracks()) this.#mesh.addLocalTrack(track, this.#media.stream);
    const offers = [];
    for (const participant of joined.participants ?? []) {
      if (participant?.id && participant.id !== this.#selfId) offers.push(this.#mesh.ensure(participant.id, { opens: true }).opening);
    }
    return Promise.all(offers);
  }

  #onJoined(joined) {
    debugHandle.signaling = 'connected';
    this.#maxRoomSize = joined.maxRoomSize ?? this.#maxRoomSize;
    debugHandle.selfId = this.#selfId;
    debugHandle.room = joined.room ?? this.#room;
    this.#grid?.destroy();
    this.#grid = new Grid({ onAutoplayBlocked: () => this.#onAutoplayBlocked() });
    this.#grid.setSpeakerDevice(this.#media.devices.audiooutput);
    this.#stage.replaceChildren(this.#grid.element);
    this.#showSelf();
    this.#controls.set('screen', false);
    this.#speaker.start();
    this.#log.info('log.joined', { room: debugHandle.room, name: this.#name });
    for (const participant of joined.participants ?? []) this.#addParticipant(participant, false);
    this.#roomControl?.destroy();
    this.#roomControl = new RoomControl({
      signaling: this.#signaling,
      notices: this.#notices,
      selfId: this.#selfId,
      nameOf: (id) => (id === this.#selfId ? this.#name : this.#nameOf(id)),
      tileOf: (id) => this.#grid?.get(id, 'camera') ?? null,
      participantIds: () => [this.#selfId, ...this.#participants.keys()],
    });
    this.#panelSlot.replaceChildren(this.#devicesCard, this.#roomControl.element);
    this.#showDiagnostics();
    this.#roomControl.onJoined(joined);
    this.#ready = true;
    setAppState('in-call');
    for (const handle of this.#backlog.splice(0)) handle();
  }

  // The diagnostics panel sits at the bottom of the side panel, closed until asked for.
  #showDiagnostics() {
    this.#diagnostics?.destroy();
    this.#diagnostics = new DiagnosticsPanel({
      signaling: this.#signaling,
      selfId: this.#selfId,
      room: debugHandle.room,
      peers: () => [...this.#participants.values()].map(({ id, name }) => ({
        id, name, pc: debugHandle.peers.get(id) ?? null, weOpen: this.#mesh?.opensTowards(id) ?? false,
      })),
      restartIce: (id) => this.#mesh?.restartIce(id),
    });
    this.#roomControl.element.append(this.#diagnostics.element);
  }

  #subscribe(signaling) {
    // Events that arrive while the joined reply is being handled wait their turn.
    const route = (type, handler) => this.#unsubscribe.push(signaling.on(type, (message) => {
      if (this.#ready) handler(message);
      else this.#backlog.push(() => handler(message));
    }));
    route('participant-joined', (m) => this.#addParticipant(m.participant, true));
    route('participant-left', (m) => this.#removeParticipant(m.id, m.reason));
    route('offer', (m) => this.#onDescription(m));
    route('answer', (m) => this.#onDescription(m));
    route('candidate', (m) => this.#peerFor(m.from)?.receiveCandidate(m.candidate ?? null));
    route('negotiation-failed', (m) => {
      this.#log.warn('log.negotiation-refused', { name: this.#nameOf(m.from), description: m.description, reason: m.reason || '—' });
      this.#startOverWith(m.from, { opens: true, reason: m.reason });
    });
    route('media', (m) => this.#onRemoteMedia(m));
    route('participant-connection', (m) => this.#onPeerConnection(m));
    for (const type of RoomControl.TYPES) route(type, (m) => this.#roomControl?.handle(m));
    route('muted', (m) => this.#mutedByHost(m.by));
    route('unmute-request', (m) => this.#notices.show({
      id: 'unmute', t: ['notice.unmute-request', { name: this.#nameOf(m.by) }],
      actions: [{ t: 'action.unmute', testid: 'accept-unmute', onClick: () => { if (!this.#media.micOn) this.#toggleDevice('audio'); } }],
    }));
    route('kicked', (m) => this.#end({
      tellServer: false,
      notice: { id: 'removed', kind: 'error', t: 'notice.kicked', detail: m.reason ? ['notice.kicked-reason', { reason: m.reason }] : undefined },
    }));
    route('session-ended', (m) => this.#end({
      tellServer: false,
      notice: { id: 'removed', kind: 'info', t: SESSION_END_NOTICES[m.reason] ?? 'notice.session-ended' },
    }));
    this.#unsubscribe.push(
      signaling.on('error', (m) => this.#log.error(...errorText(m, { maxRoomSize: this.#maxRoomSize }))),
      signaling.on('seq-gap', (gap) => this.#log.warn('log.seq-gap', gap)),
      signaling.on('silent', ({ quietMs }) => this.#log.warn('log.signaling-silent', { seconds: Math.round(quietMs / 1000) })),
      signaling.on('clock', (sample) => { debugHandle.clockOffsetMs = Math.round(signaling.clock.offsetMs); this.#logClockOnce(sample); }),
      signaling.on('close', (event) => this.#onClosed(event)),
      signaling.on('token', (token) => this.#remember(token)),
      signaling.on('reconnecting', (info) => this.#onReconnecting(info)),
      signaling.on('resumed', (reply) => this.#onResumed(reply)),
      signaling.on('resume-failed', () => this.#onResumeFailed()));
  }

  #logClockOnce(sample) {
    if (this.#clockLogged) return;
    this.#clockLogged = true;
    this.#log.info('log.clock', { offset: Math.round(sample.offset), rtt: Math.round(sample.rtt) });
  }

  #dropSignaling() {
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#signaling?.close();
    this.#signaling = null;
  }

  #teardown() {
    this.#ready = false;
    this.#backlog = [];
    this.#stopScreen({ announce: false });
    this.#mesh?.closeAll();
    this.#mesh = null;
    this.#speaker.stop();
    this.#roomControl?.destroy();
    this.#roomControl = null;
    this.#diagnostics?.destroy();
    this.#diagnostics = null;
    this.#panelSlot.replaceChildren();
    debugHandle.role = null;
    this.#grid?.destroy();
    this.#grid = null;
    this.#participants.clear();
    debugHandle.peers.clear();
  }

  // What a reload needs to come back: kept per tab whenever the server hands out a token.
  #remember(token) {
    const media = this.#media;
    saveResume(this.#room, {
      token, name: this.#name,
      audio: Boolean(media.audioTrack), video: Boolean(media.videoTrack), mic: media.micOn, cam: media.camOn,
    });
  }

  // Only the signaling socket is down: peers and media carry on while Signaling comes back.
  #onReconnecting({ attempt, delayMs, code }) {
    if (this.#ended) return;
    const seconds = Math.max(1, Math.round(delayMs / 1000));
    if (attempt > 1) {
      this.#log.info('log.reconnect-attempt', { attempt, seconds });
      return;
    }
    this.#stateBeforeDrop = debugHandle.state;
    this.#log.warn('log.reconnecting', { code: code ?? '—' });
    setAppState('reconnecting');
    debugHandle.signaling = 'reconnecting';
    this.#notices.show({ id: 'reconnecting', kind: 'warning', t: 'reconnect.banner', detail: 'reconnect.detail',
      dismissible: false, testid: 'reconnect-banner' });
  }

  #stateBeforeDrop = 'in-call';

  #onResumed(reply) {
    if (this.#ended) return;
    this.#notices.dismiss('reconnecting');
    debugHandle.signaling = 'connected';
    if (reply.snapshot && typeof reply.snapshot.type === 'string') {
      // More happened while we were away than the server keeps for a replay: it sent the whole
      // picture instead, and the others rebuild their connections to us, as to a reloaded page.
      this.#log.info('log.resumed-snapshot');
      this.#rebuildFrom(reply.snapshot);
      return;
    }
    setAppState(this.#stateBeforeDrop);
    this.#log.info('log.resumed', { replayed: reply.replayed ?? 0 });
    say('announce.back');
  }

  // Starts the call over from a snapshot (`joined` or `waiting`) on the same signaling: new
  // peer connections, a new call screen, the same place.
  async #rebuildFrom(snapshot) {
    const signaling = this.#signaling;
    this.#teardownRemote();
    this.#mesh = null;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    this.#connect = () => signaling;
    try {
      await this.#enter(async () => snapshot);
    } catch (error) {
      if (!this.#ended) this.#onReconnectFailed(error);
    }
  }

  // The server is back but our place is gone (it restarted, or we were away past the grace
  // period): join again as a new participant, with new peers, and say why.
  async #onResumeFailed() {
    if (this.#ended) return;
    this.#notices.dismiss('reconnecting');
    debugHandle.signaling = 'connected';
    this.#log.warn('log.resume-failed');
    if (!this.#ready) return; // still waiting in line: that wait ends with the error and says so
    this.#notices.show({ id: 'restarted', kind: 'info', t: 'notice.room-restarted', testid: 'restarted-notice', timeoutMs: 30_000 });
    clearResume(this.#room);
    this.#teardownRemote();
    this.#dropSignaling();
    try {
      await this.join();
    } catch (error) {
      if (!this.#ended) this.#onReconnectFailed(error);
    }
  }

  #onPeerConnection(message) {
    const name = this.#nameOf(message.id);
    if (message.connected && message.rebuild) {
      // They reloaded their page: the old connection to them leads nowhere any more.
      this.#log.info('log.peer-reloaded', { name });
      this.#rebuildPeer(message.id);
      return;
    }
    this.#log.info(message.connected ? 'log.peer-back' : 'log.peer-reconnecting', { name });
    say(message.connected ? 'announce.peer-back' : 'announce.peer-reconnecting', { name });
    const participant = this.#participants.get(message.id);
    if (participant) participant.away = !message.connected;
    this.#showConnection(message.id);
  }

  // The tile says in words when the connection to someone is not (yet) well.
  #showConnection(id) {
    const participant = this.#participants.get(id);
    const tile = this.#grid?.get(id, 'camera');
    if (!participant || !tile) return;
    const pc = debugHandle.peers.get(id);
    tile.setConnection(participant.away ? 'away' : pc?.connectionState ?? 'new');
  }

  // A fresh connection to `id`: `opens` when this side offers first (see peer-link.js).
  #rebuildPeer(id, { opens = false } = {}) {
    const participant = this.#participants.get(id);
    if (!participant || !this.#mesh) return;
    this.#mesh.remove(id);
    participant.streams = new ParticipantStreams(() => this.#syncRemote(id));
    this.#syncRemote(id);
    this.#mesh.ensure(id, { opens });
    this.#showConnection(id);
  }

  #negotiationRetries = new Map(); // participant id -> fresh starts after refused descriptions

  // One side could not apply the other's offer or answer (this side: `opens` false; the other
  // side told us it could not apply ours: `opens` true). Both start a fresh connection: the
  // side whose description was refused offers anew, the other waits for that offer. A pair
  // that keeps failing stops after MAX_NEGOTIATION_RETRIES and says so in words.
  #startOverWith(id, { opens, reason }) {
    const participant = this.#participants.get(id);
    if (!participant || !this.#mesh) return;
    const name = participant.name;
    const tries = (this.#negotiationRetries.get(id) ?? 0) + 1;
    this.#negotiationRetries.set(id, tries);
    const detail = reason ? ['notice.negotiation-reason', { reason }] : undefined;
    if (tries > MAX_NEGOTIATION_RETRIES) {
      this.#log.error('log.negotiation-gave-up', { name });
      this.#notices.show({ id: `negotiation-${id}`, kind: 'error', t: ['notice.negotiation-gave-up', { name }], detail,
        testid: 'negotiation-notice' });
      return;
    }
    this.#log.info('log.negotiation-retry', { name });
    this.#notices.show({ id: `negotiation-${id}`, kind: 'warning', t: ['notice.negotiation-retry', { name }], detail,
      testid: 'negotiation-notice', timeoutMs: 20_000 });
    this.#rebuildPeer(id, { opens });
  }

  #onPeerState(id, state) {
    if (state === 'connected' && this.#negotiationRetries.has(id)) {
      this.#negotiationRetries.delete(id);
      this.#notices.dismiss(`negotiation-${id}`);
    }
    this.#showConnection(id);
  }

  #onClosed(event) {
    // Before `joined` the pending join request reports the failure instead.
    if (this.#ended || event.byUs || !this.#ready) return;
    this.#notices.dismiss('reconnecting');
    this.#log.error('log.disconnected', { code: event.code });
    this.#teardownRemote();
    this.#dropSignaling();
    setAppState('error');
    this.#notices.show({
      id: 'connection',
      kind: 'error',
      t: event.code === 4002 ? 'error.replaced' : event.code === 1001 && !event.gaveUp ? 'error.server-shutdown' : 'error.connection-lost',
      dismissible: false,
      actions: [{ t: 'action.reconnect', testid: 'reconnect', onClick: () => this.#reconnect() }],
    });
  }

  // Peers can't outlive the signaling: the server has already told everyone we are gone.
  #teardownRemote() {
    this.#ready = false;
    this.#stopScreen({ announce: false });
    for (const id of [...this.#participants.keys()]) this.#removeParticipant(id, null);
    this.#speaker.unwatch(this.#selfId);
    this.#mesh?.closeAll();
  }

  async #reconnect() {
    try {
      await this.join();
      this.#notices.dismiss('connection');
    } catch (error) {
      this.#onReconnectFailed(error);
    }
  }

  #onReconnectFailed(error) {
    setAppState('error');
    this.#notices.show({
      id: 'connection',
      kind: 'error',
      t: errorText(error, { maxRoomSize: this.#maxRoomSize }),
      dismissible: false,
      actions: [{ t: 'action.reconnect', testid: 'reconnect', onClick: () => this.#reconnect() }],
    });
  }

  #nameOf(id) {
    return this.#participants.get(id)?.name ?? id;
  }

  #showSelf() {
    const tile = this.#grid.ensure({ participantId: this.#selfId, kind: 'camera', self: true, name: this.#name });
    tile.setStream(this.#media.stream);
    tile.setMedia({ mic: this.#media.micOn, cam: this.#media.camOn });
    // The meter follows whichever microphone track the stream has now.
    this.#speaker.watch(this.#selfId, sentAudioMeter(debugHandle.peers, () => this.#media.stream?.getAudioTracks()[0]));
    this.#controls.set('mic', this.#media.micOn);
    this.#controls.set('cam', this.#media.camOn);
  }

  #addParticipant(info, announce) {
    if (!info?.id || info.id === this.#selfId || this.#participants.has(info.id)) return;
    const participant = {
      id: info.id,
      name: String(info.name ?? ''),
      media: mediaFrom(info.media),
      streams: new ParticipantStreams(() => this.#syncRemote(info.id)),
      away: info.connected === false, // their signaling is down; they may come back
      speakerTrack: null, // the audio track the speaker detector measures for them
    };
    this.#participants.set(info.id, participant);
    const tile = this.#grid.ensure({ participantId: info.id, kind: 'camera', name: participant.name });
    tile.setMedia(participant.media);
    this.#roomControl?.refreshTile(info.id);
    // Whoever comes in opens the negotiation: with those already here (announce false) that
    // is us, and our offer leaves right away; a newcomer announced to us sends its own.
    this.#mesh.ensure(info.id, { opens: !announce });
    this.#showConnection(info.id);
    if (announce) {
      this.#log.info('log.peer-joined', { name: participant.name });
      say('announce.joined', { name: participant.name });
      // A newcomer must learn which of our streams is the screen before its track arrives.
      if (this.#screen) this.#sendMedia();
    } else {
      this.#log.info('log.peer-present', { name: participant.name });
    }
  }

  #removeParticipant(id, reason) {
    const participant = this.#participants.get(id);
    if (!participant) return;
    this.#mesh?.remove(id);
    this.#grid?.removeParticipant(id);
    this.#speaker.unwatch(id);
    this.#participants.delete(id);
    if (reason) {
      this.#log.info(reason === 'disconnected' ? 'log.peer-disconnected' : 'log.peer-left', { name: participant.name });
      say('announce.left', { name: participant.name });
    }
  }

  // A signal from someone we haven't heard of can only be a late relay; it is dropped.
  #peerFor(id) {
    if (!this.#participants.has(id)) {
      this.#log.warn('log.unknown-sender', { id: String(id) });
      return null;
    }
    return this.#mesh.ensure(id);
  }

  #onDescription(message) {
    const link = this.#peerFor(message.from);
    if (!link) return;
    this.#log.info(message.type === 'offer' ? 'log.offer-received' : 'log.answer-received', { name: this.#nameOf(message.from) });
    link.receiveDescription({ type: message.type, sdp: message.sdp });
  }

  #onRemoteMedia(message) {
    const participant = this.#participants.get(message.from);
    if (!participant) return;
    participant.media = mediaFrom(message);
    this.#log.info('log.media-changed', {
      name: participant.name,
      mic: participant.media.mic ? '✓' : '✗',
      cam: participant.media.cam ? '✓' : '✗',
      screen: participant.media.screen ? '✓' : '✗',
    });
    this.#syncRemote(participant.id);
  }

  #onTrack(remoteId, track, streams) {
    this.#participants.get(remoteId)?.streams.add(track, streams);
  }

  // Tiles follow the participant's streams and announced media.
  #syncRemote(id) {
    const participant = this.#participants.get(id);
    if (!participant || !this.#grid) return;
    const { camera, screen } = participant.streams.classify(participant.media);
    const cameraTile = this.#grid.ensure({ participantId: id, kind: 'camera', name: participant.name });
    cameraTile.setStream(camera);
    cameraTile.setMedia(participant.media);
    const audio = camera?.getAudioTracks()[0] ?? null;
    if (participant.speakerTrack !== audio) {
      participant.speakerTrack = audio;
      this.#speaker.watch(id, audio && receivedAudioMeter(debugHandle.peers, id, audio));
    }
    if (screen) {
      this.#grid.ensure({ participantId: id, kind: 'screen', name: participant.name }).setStream(screen);
    } else {
      this.#grid.remove(id, 'screen');
    }
  }

  // The host may mute anyone; unmuting stays the person's own decision. The notice names who
  // did it, so nobody wonders why their microphone went off, and stays until the mic is back on.
  #mutedByHost(by) {
    this.#media.setEnabled('audio', false);
    this.#afterLocalMediaChange();
    this.#notices.dismiss('unmute');
    this.#notices.show({ id: 'muted', t: ['notice.muted-by-host', { name: this.#nameOf(by) }] });
  }

  #afterLocalMediaChange() {
    const media = this.#media;
    if (media.micOn) {
      this.#notices.dismiss('muted');
      this.#notices.dismiss('unmute');
    }
    this.#controls.set('mic', media.micOn);
    this.#controls.set('cam', media.camOn);
    const tile = this.#grid?.get(this.#selfId, 'camera');
    tile?.setStream(media.stream);
    tile?.setMedia({ mic: media.micOn, cam: media.camOn });
    this.#sendMedia();
    const token = this.#signaling?.resumeToken;
    if (token) this.#remember(token); // a reload brings the devices back as they are now
  }

  // Camera, microphone and speaker can be changed in the call; the choice is remembered
  // (LocalMedia) for the next one.
  async #toggleDevices() {
    const open = this.#devicesCard.hidden;
    this.#devicesCard.hidden = !open;
    this.#controls.devicesButton.setAttribute('aria-expanded', String(open));
    if (open) {
      await this.#devices.refresh();
      this.#devicesCard.querySelector('.field:not([hidden]) select')?.focus();
    }
  }

  #deviceChosen(kind, result) {
    if (kind === 'audiooutput') {
      this.#grid?.setSpeakerDevice(result.deviceId);
      this.#log.info(`log.switched-${kind}`);
      return;
    }
    const { oldTrack, newTrack, reason } = result;
    if (newTrack && oldTrack) this.#mesh?.replaceLocalTrack(oldTrack, newTrack, this.#media.stream);
    else if (oldTrack) this.#mesh?.removeLocalTrack(oldTrack);
    if (!newTrack && reason) {
      this.#notices.show({ id: 'device', kind: 'error', t: `media.lost-${kind === 'audioinput' ? 'mic' : 'camera'}`,
        detail: `media.reason-${reason}`, timeoutMs: 10_000 });
    } else {
      this.#log.info(`log.switched-${kind}`);
    }
    if (this.#grid) this.#showSelf();
    this.#sendMedia();
  }

  #sendMedia() {
    if (!this.#signaling || !this.#ready) return;
    const media = this.#media;
    const message = { type: 'media', mic: media.micOn, cam: media.camOn, screen: Boolean(this.#screen) };
    if (this.#screen) message.screenStream = this.#screen.stream.id;
    this.#log.info('log.media-sent', {
      mic: message.mic ? '✓' : '✗', cam: message.cam ? '✓' : '✗', screen: message.screen ? '✓' : '✗',
    });
    this.#signaling.request(message).catch((error) => this.#log.error(...errorText(error)));
  }

  async #toggleDevice(kind) {
    const name = kind === 'audio' ? 'mic' : 'cam';
    const media = this.#media;
    const track = kind === 'audio' ? media.audioTrack : media.videoTrack;
    if (track) {
      media.setEnabled(kind, !track.enabled);
      this.#afterLocalMediaChange();
      return;
    }
    // Joined without this device: ask for it now and send it to everyone.
    this.#controls.setBusy(name, true);
    try {
      const added = await media.addKind(kind);
      if (this.#ended) return;
      this.#mesh?.addLocalTrack(added, media.stream);
      this.#afterLocalMediaChange();
    } catch (error) {
      this.#notices.show({
        id: 'device', kind: 'error', t: kind === 'audio' ? 'media.lost-mic' : 'media.lost-camera',
        detail: `media.reason-${error.reason ?? 'unknown'}`, timeoutMs: 15_000,
      });
    } finally {
      this.#controls.setBusy(name, false);
    }
  }

  async #toggleScreen() {
    if (this.#screen) {
      this.#stopScreen({ announce: true });
      return;
    }
    this.#controls.setBusy('screen', true);
    const result = await captureScreen();
    this.#controls.setBusy('screen', false);
    if (!this.#ready || this.#ended) {
      result.stream?.getTracks().forEach((track) => track.stop());
      return;
    }
    if (!result.stream) {
      this.#log.warn('log.screen-refused', { reason: result.reason });
      this.#notices.show({ id: 'screen', kind: 'info', t: `screen.${result.reason}`, timeoutMs: 10_000 });
      return;
    }
    const stream = result.stream;
    const [track] = stream.getVideoTracks();
    if ('contentHint' in track) track.contentHint = 'detail';
    this.#screen = { stream, track };
    // The browser's own "Stop sharing" button ends the track.
    track.addEventListener('ended', () => this.#stopScreen({ announce: true }));
    this.#controls.set('screen', true);
    this.#sendMedia(); // first, so receivers know the stream id when the track arrives
    const tile = this.#grid.ensure({ participantId: this.#selfId, kind: 'screen', self: true, name: this.#name });
    tile.setStream(stream);
    this.#mesh.addLocalTrack(track, stream);
    this.#log.info('log.screen-started');
  }

  #stopScreen({ announce }) {
    if (!this.#screen) return;
    const { track } = this.#screen;
    this.#screen = null;
    this.#mesh?.removeLocalTrack(track);
    track.stop();
    this.#grid?.remove(this.#selfId, 'screen');
    this.#controls.set('screen', false);
    if (announce) {
      this.#log.info('log.screen-stopped');
      this.#sendMedia();
    }
  }

  async #copyLink() {
    const link = roomLink(this.#room);
    if (await copyText(link)) {
      this.#notices.show({ id: 'copy', t: 'notice.link-copied', timeoutMs: 4000 });
    } else {
      this.#notices.show({ id: 'copy', t: ['notice.link-copy-failed', { link }] });
    }
  }

  #onAutoplayBlocked() {
    this.#notices.show({
      id: 'autoplay',
      t: 'notice.autoplay-blocked',
      actions: [{ t: 'action.enable-sound', onClick: () => this.#grid?.playAll() }],
    });
  }
}
