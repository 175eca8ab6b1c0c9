// One stay in a room: it joins (or resumes), waits in line if need be, and wires the parts of
// the call together — the signaling, the connections (TopologySwitch: a mesh, or the server's
// in a forwarded room), the people (Roster), what we
// send (OwnMedia), the room's running (RoomControl), the stage and the side panels. The stay
// heals itself: while only the signaling
// socket is down, Signaling resumes it and the peer connections (and media) carry on; if the
// place could not be kept (the server restarted, or the grace period ran out) it joins again
// as a new participant with fresh peers, and says so. join() may also be called again by hand
// (the last-resort Reconnect button). resume() takes the place back after a page reload.
import { h } from './dom.js';
import { Signaling } from './signaling.js';
import { TopologySwitch, announcedCount } from './topology-switch.js';
import { Stage } from './stage.js';
import { announce as say } from './announcer.js';
import { Controls } from './controls.js';
import { CallPanels } from './call-panels.js';
import { OwnMedia } from './own-media.js';
import { Roster } from './roster.js';
import { NegotiationRecovery } from './negotiation-recovery.js';
import { SpeakerDetector } from './speaker-detector.js';
import { VisibleVideos } from './visible-videos.js';
import { supportsScreenShare } from './screen-share.js';
import { copyText } from './clipboard.js';
import { roomLink } from './router.js';
import { debugHandle, setAppState } from './debug-handle.js';
import { errorText } from './error-messages.js';
import { waitInLine } from './waiting-line.js';
import { RoomControl } from './room-control.js';
import { DiagnosticsPanel } from './diagnostics-panel.js';
import { signalingWithFaults } from './signal-faults.js';
import { SignalingError } from './signaling-error.js';
import { saveResume, clearResume } from './resume-store.js';
import * as protocol from './protocol.js';

const LEAVE_REPLY_TIMEOUT_MS = 3000;

// For the event log: which node the room was found on, without the rest of its URL.
function hostOf(url) {
  try {
    return new URL(url).host;
  } catch {
    return String(url);
  }
}
const SESSION_END_NOTICES = {
  'time-up': 'notice.session-time-up',
  'host-ended': 'notice.session-ended',
  'slot-ended': 'notice.slot-ended',
};

export class CallSession {
  #room;
  #name;
  #media;
  #log;
  #notices;
  #onLeft;
  #signaling = null;
  #unsubscribe = [];
  #topology = null; // how media reach us: TopologySwitch (a mesh, or the server in a forwarded room)
  #stage = null;
  #roster = null;
  #controls;
  #panels;
  #own; // OwnMedia: what we send
  #speaker;
  #visible = null; // VisibleVideos: what we show, told to the server in forwarded rooms
  #stageSlot;
  #status;
  #viewSlot; // the stage's grid / speaker view switch
  #selfId = null;
  #ready = false;
  #backlog = [];
  #ended = false;
  #maxRoomSize = null; // known once joined
  #clockLogged = false;
  #access;
  #showWaiting;
  #roomControl = null;
  #diagnostics = null;
  #recovery;
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
    // In a forwarded room the server names the speaker (`active-speaker`, from the levels every
    // microphone sends it); in a mesh each page measures what it receives.
    this.#speaker = new SpeakerDetector((id) => {
      if (!this.#forwarded()) this.#stage?.setActiveSpeaker(id);
    });
    this.#recovery = new NegotiationRecovery({ log, notices, restart: (id, how) => this.#rebuildPeer(id, how) });
    this.#panels = new CallPanels();
    const panelButtons = [
      this.#panels.add('people', { title: 'people.title', iconName: 'people', testid: 'people' }),
      this.#panels.add('chat', { title: 'chat.title', iconName: 'chat', testid: 'chat',
        onOpen: () => this.#roomControl?.chatShown(true), onClose: () => this.#roomControl?.chatShown(false) }),
      this.#panels.add('host', { title: 'host.tools', iconName: 'host', testid: 'host' }),
      this.#panels.add('devices', { title: 'controls.devices', iconName: 'devices', testid: 'devices',
        onOpen: () => this.#own.showDevices() }),
      this.#panels.add('diagnostics', { title: 'diag.title', iconName: 'diagnostics', testid: 'diagnostics',
        onOpen: () => this.#diagnostics?.setShown(true), onClose: () => this.#diagnostics?.setShown(false) }),
    ];
    this.#panels.setAvailable('host', false);
    this.#controls = new Controls({
      mic: () => this.#own.toggle('audio'),
      cam: () => this.#own.toggle('video'),
      screen: () => this.#own.toggleScreen(),
      hand: () => this.#roomControl?.toggleHand(),
      copyLink: () => this.#copyLink(),
      leave: () => this.leave(),
    }, { screenSupported: supportsScreenShare, panelButtons });
    this.#own = new OwnMedia({
      media, controls: this.#controls, notices, log, name,
      send: (message) => this.#send(message),
      onChanged: () => this.#afterOwnMediaChange(),
    });
    this.#panels.setContent('devices', this.#own.devicesCard);
    this.#stageSlot = h('div', { class: 'call__stage' });
    this.#status = h('div', { class: 'call__status-slot' });
    this.#viewSlot = h('div', { class: 'call__view' });
    // Tiles come before the control bar, and every tile has buttons: one Tab stop takes
    // keyboard users straight to the controls however many people are in the call.
    const skip = h('button', { type: 'button', class: 'skip-link', 'data-testid': 'skip-to-controls',
      t: 'call.skip-to-controls', onclick: () => this.#controls.focusFirst() });
    this.element = h('section', { class: 'call', 'data-testid': 'call', ta: { 'aria-label': 'call.label' } },
      h('h1', { class: 'visually-hidden', t: ['call.heading', { room }] }),
      skip,
      h('div', { class: 'call__top' }, this.#status, this.#viewSlot),
      h('div', { class: 'call__body' }, this.#stageSlot, this.#panels.element),
      this.#controls.element);
  }

  get maxRoomSize() { return this.#maxRoomSize; }

  // Connects and joins. Rejects with a SignalingError (connect-failed, room-full, ...).
  async join() {
    const media = this.#media;
    const request = protocol.join({
      room: this.#room, name: this.#name, media: { mic: media.micOn, cam: media.camOn, screen: false },
      settings: this.#access.settings, password: this.#access.password,
    });
    await this.#enter((signaling) => signaling.enter(request));
  }

  // After a page reload: takes the place kept under `token` back (same id, role, place in
  // line). Rejects with a SignalingError (resume-failed when the place is gone).
  async resume(token) {
    await this.#enter(async (signaling) => {
      const reply = await signaling.resumeSnapshot(token, this.#room);
      if (!reply.snapshot || typeof reply.snapshot.type !== 'string') throw new SignalingError('resume-failed');
      this.#log.info('log.resumed-reload');
      return reply.snapshot;
    });
    if (this.#ready) this.#own.send(); // the devices may have come back otherwise than before
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
      this.#notices.dismiss('moving');
      this.#dropSignaling();
      clearResume(this.#room);
      throw error;
    }
    this.#notices.dismiss('moving');
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
    this.#notices.dismiss('moving');
    const signaling = this.#signaling;
    this.#signaling = null;
    for (const unsubscribe of this.#unsubscribe.splice(0)) unsubscribe();
    const media = this.#media;
    const had = { audio: Boolean(media.audioTrack), video: Boolean(media.videoTrack), mic: media.micOn, cam: media.camOn };
    this.#teardown();
    this.#controls.destroy();
    this.#own.destroy();
    media.stop();
    this.#log.info('log.left');
    if (signaling && tellServer) {
      signaling.request(protocol.leave(), LEAVE_REPLY_TIMEOUT_MS).catch(() => {}).finally(() => signaling.close());
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
    this.#own.destroy();
    this.#dropSignaling();
  }

  // Resolves once an offer to everyone already in the room (or, in a forwarded room, to the
  // server) has been handed to the signaling.
  #openPeers(joined) {
    this.#selfId = joined.you?.id ?? null;
    this.#topology = new TopologySwitch({
      topology: protocol.topologyOf(joined.state),
      iceServers: Array.isArray(joined.iceServers) ? joined.iceServers : [],
      // 'relay' when the operator hides participants' addresses behind TURN (--ice-transport-policy).
      iceTransportPolicy: joined.iceTransportPolicy === 'relay' ? 'relay' : 'all',
      signaling: signalingWithFaults(this.#signaling),
      announced: (remoteId) => announcedCount(this.#roster?.get(remoteId)?.media),
      nameOf: (remoteId) => this.#nameOf(remoteId),
      events: {
        onTrack: (remoteId, track, streams, source) => this.#roster?.addTrack(remoteId, track, streams, source),
        onMediaMoved: (remoteId) => this.#roster?.resetStreams(remoteId),
        onLog: (remoteId, level, key, args) => this.#log.add(key, { ...args, name: this.#nameOf(remoteId) }, level),
        onConnectionState: (remoteId, state) => this.#onPeerState(remoteId, state),
        onNegotiationFailed: (remoteId, failure) => this.#negotiationFailed(remoteId, { opens: false, reason: failure.reason }),
        onSettled: () => this.#tellWhatIsShown(),
      },
    });
    debugHandle.peers = this.#topology.connections;
    debugHandle.topology = this.#topology.topology;
    debugHandle.midsFrom = (id) => this.#topology?.midsFrom(id) ?? [];
    debugHandle.servedBy = (id) => this.#topology?.servedBy(id) ?? null;
    for (const track of this.#media.stream.getTracks()) this.#topology.addLocalTrack(track, this.#media.stream);
    const offers = [this.#topology.open()];
    for (const participant of joined.participants ?? []) {
      if (participant?.id && participant.id !== this.#selfId) offers.push(this.#topology.ensure(participant.id, { opens: true }).opening);
    }
    return Promise.all(offers);
  }

  #onJoined(joined) {
    debugHandle.signaling = 'connected';
    debugHandle.node = this.#signaling?.url ?? null;
    this.#maxRoomSize = joined.maxRoomSize ?? this.#maxRoomSize;
    debugHandle.selfId = this.#selfId;
    debugHandle.room = joined.room ?? this.#room;
    this.#stage?.destroy();
    this.#visible?.destroy();
    this.#visible = new VisibleVideos({ send: (message) => this.#sendVisible(message) });
    this.#stage = new Stage({ onAutoplayBlocked: () => this.#onAutoplayBlocked(),
      onShown: (shown) => this.#visible?.setShown(shown) });
    this.#stage.setSpeakerDevice(this.#media.devices.audiooutput);
    this.#stageSlot.replaceChildren(this.#stage.element);
    this.#viewSlot.replaceChildren(this.#stage.viewButton);
    this.#roster = new Roster({ stage: this.#stage, speaker: this.#speaker, connections: this.#topology.connections });
    this.#roster.subscribe(() => this.#roomControl?.refreshPeople());
    this.#own.attach({ stage: this.#stage, topology: this.#topology, selfId: this.#selfId, speaker: this.#speaker });
    this.#speaker.start();
    this.#log.info('log.joined', { room: debugHandle.room, name: this.#name });
    this.#roomControl?.destroy();
    this.#roomControl = new RoomControl({
      signaling: this.#signaling,
      notices: this.#notices,
      selfId: this.#selfId,
      nameOf: (id) => (id === this.#selfId ? this.#name : this.#nameOf(id)),
      tileOf: (id) => this.#stage?.get(id, 'camera') ?? null,
      people: () => this.#people(),
      serverNow: () => this.#signaling?.clock.serverNow() ?? Date.now(),
      panels: this.#panels,
      controls: this.#controls,
    });
    this.#status.replaceChildren(this.#roomControl.statusElement);
    for (const participant of joined.participants ?? []) this.#addParticipant(participant, false);
    this.#showDiagnostics();
    this.#roomControl.onJoined(joined);
    this.#ready = true;
    this.#tellWhatIsShown();
    setAppState('in-call');
    for (const handle of this.#backlog.splice(0)) handle();
  }

  // Everyone in the room for the People panel, us first.
  #people() {
    const media = this.#media;
    const us = { id: this.#selfId, name: this.#name, self: true, mic: media.micOn, cam: media.camOn, connection: null };
    const others = (this.#roster?.values() ?? []).map((p) => ({
      id: p.id, name: p.name, self: false, mic: p.media.mic, cam: p.media.cam, connection: this.#roster.connectionOf(p.id),
    }));
    return [us, ...others];
  }

  // The diagnostics panel reads the connections while its side panel is open.
  #showDiagnostics() {
    this.#diagnostics?.destroy();
    this.#diagnostics = new DiagnosticsPanel({
      signaling: this.#signaling,
      selfId: this.#selfId,
      room: debugHandle.room,
      peers: () => (this.#roster?.values() ?? []).map(({ id, name }) => ({
        id, name, pc: this.#topology?.connections.get(id) ?? null, weOpen: this.#topology?.opensTowards(id) ?? false,
      })),
      restartIce: (id) => this.#topology?.restartIce(id),
    });
    this.#panels.setContent('diagnostics', this.#diagnostics.element);
    if (this.#panels.isOpen('diagnostics')) this.#diagnostics.setShown(true);
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
      this.#negotiationFailed(m.from, { opens: true, reason: m.reason });
    });
    route('media', (m) => this.#onRemoteMedia(m));
    route('media-offer', (m) => this.#topology?.serverOffer(m));
    route('media-connection-lost', () => this.#topology?.renewServerConnection());
    route('room-state', (m) => {
      this.#topology?.setTopology(protocol.topologyOf(m.state));
      debugHandle.topology = this.#topology?.topology ?? null;
      this.#tellWhatIsShown();
    });
    route('active-speaker', (m) => {
      const id = protocol.readActiveSpeaker(m);
      if (id && this.#forwarded()) this.#stage?.setActiveSpeaker(id);
    });
    route('participant-connection', (m) => this.#onPeerConnection(m));
    for (const type of RoomControl.TYPES) route(type, (m) => this.#roomControl?.handle(m));
    route('muted', (m) => this.#own.mutedBy(this.#nameOf(m.by)));
    route('unmute-request', (m) => this.#notices.show({
      id: 'unmute', t: ['notice.unmute-request', { name: this.#nameOf(m.by) }],
      actions: [{ t: 'action.unmute', testid: 'accept-unmute', onClick: () => { if (!this.#media.micOn) this.#own.toggle('audio'); } }],
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
      signaling.on('following', ({ url }) => this.#log.info('log.following', { host: hostOf(url) })),
      signaling.on('moving', (info) => this.#onMoving(info)),
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

  #forwarded() { return this.#topology?.topology === 'forwarded'; }

  // The server is told what the stage shows only once the move to it is over: a move waits for
  // each person's media to flow on the new connection, which a paused video never would.
  #tellWhatIsShown() {
    this.#visible?.setEnabled(this.#forwarded() && !this.#topology.moving);
  }

  // Like #send, but a list naming someone who left a moment ago (target-not-found) is no fault
  // of anyone's: the server kept the last list, and the next one (their tile gone) replaces it.
  #sendVisible(message) {
    if (!this.#signaling || !this.#ready) return false;
    this.#signaling.request(message).catch((error) => {
      if (error?.code !== 'target-not-found') this.#log.error(...errorText(error));
    });
    return true;
  }

  // Hands a message to the signaling while we are in the call; false when there is none.
  #send(message) {
    if (!this.#signaling || !this.#ready) return false;
    this.#signaling.request(message).catch((error) => this.#log.error(...errorText(error)));
    return true;
  }

  #teardown() {
    this.#ready = false;
    this.#backlog = [];
    this.#own.detach();
    this.#topology?.closeAll();
    this.#topology = null;
    this.#speaker.stop();
    this.#visible?.destroy();
    this.#visible = null;
    this.#roomControl?.destroy();
    this.#roomControl = null;
    this.#diagnostics?.destroy();
    this.#diagnostics = null;
    this.#panels.close();
    for (const name of ['people', 'chat', 'host', 'diagnostics']) this.#panels.setContent(name);
    this.#status.replaceChildren();
    this.#viewSlot.replaceChildren();
    debugHandle.role = null;
    this.#roster?.clear();
    this.#roster = null;
    this.#stage?.destroy();
    this.#stage = null;
    debugHandle.peers = new Map();
    debugHandle.topology = null;
    debugHandle.node = null;
  }

  // What a reload needs to come back: kept per tab whenever the server hands out a token.
  #remember(token) {
    const media = this.#media;
    saveResume(this.#room, {
      token, name: this.#name,
      audio: Boolean(media.audioTrack), video: Boolean(media.videoTrack), mic: media.micOn, cam: media.camOn,
    });
  }

  // Our microphone or camera changed: a reload brings the devices back as they are now, and
  // the People panel shows it.
  #afterOwnMediaChange() {
    const token = this.#signaling?.resumeToken;
    if (token) this.#remember(token);
    this.#roomControl?.refreshPeople();
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

  // The room's node went away and no node holds it yet: the signaling asks again by itself;
  // the person is told in words, in the reconnect banner when the call is on, else in a notice
  // of its own while joining.
  #onMoving({ waitMs, reconnecting }) {
    if (this.#ended) return;
    this.#log.info('log.room-moving', { seconds: Math.max(1, Math.round(waitMs / 1000)) });
    if (reconnecting) {
      this.#notices.show({ id: 'reconnecting', kind: 'warning', t: 'reconnect.banner', detail: 'reconnect.moving',
        dismissible: false, testid: 'reconnect-banner' });
    } else {
      this.#notices.show({ id: 'moving', kind: 'info', t: 'notice.room-moving', dismissible: false, testid: 'moving-notice' });
    }
  }

  #onResumed(reply) {
    if (this.#ended) return;
    this.#notices.dismiss('reconnecting');
    debugHandle.signaling = 'connected';
    debugHandle.node = this.#signaling?.url ?? null;
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
    this.#topology = null;
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
    this.#roster?.setAway(message.id, !message.connected);
  }

  // A fresh connection to `id`: `opens` when this side offers first (see peer-link.js).
  #rebuildPeer(id, { opens = false } = {}) {
    if (!this.#roster?.has(id) || !this.#topology) return;
    this.#topology.remove(id);
    this.#roster.resetStreams(id);
    this.#topology.ensure(id, { opens });
    this.#roster.showConnection(id);
  }

  // A description could not be applied, here or (opens) on their side: see NegotiationRecovery.
  #negotiationFailed(id, how) {
    if (!this.#roster?.has(id) || !this.#topology) return;
    this.#recovery.failed(id, this.#nameOf(id), how);
  }

  #onPeerState(id, state) {
    if (state === 'connected') this.#recovery.connected(id);
    this.#roster?.showConnection(id);
    this.#roomControl?.refreshPeople();
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
      // event.error: following the room to its node gave up (see Signaling.enter).
      t: event.error ? errorText(event.error) : event.code === 4002 ? 'error.replaced'
        : event.code === 1001 && !event.gaveUp ? 'error.server-shutdown' : 'error.connection-lost',
      dismissible: false,
      actions: [{ t: 'action.reconnect', testid: 'reconnect', onClick: () => this.#reconnect() }],
    });
  }

  // Peers can't outlive the signaling: the server has already told everyone we are gone.
  #teardownRemote() {
    this.#ready = false;
    this.#own.stopScreen({ announce: false });
    for (const id of this.#roster?.ids() ?? []) this.#removeParticipant(id, null);
    this.#speaker.unwatch(this.#selfId);
    this.#topology?.closeAll();
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
    return this.#roster?.nameOf(id) ?? id;
  }

  #addParticipant(info, announce) {
    const participant = this.#roster.add(info, this.#selfId);
    if (!participant) return;
    this.#roomControl?.refreshTile(participant.id);
    // Whoever comes in opens the negotiation: with those already here (announce false) that
    // is us, and our offer leaves right away; a newcomer announced to us sends its own.
    this.#topology.ensure(participant.id, { opens: !announce });
    this.#roster.showConnection(participant.id);
    if (announce) {
      this.#log.info('log.peer-joined', { name: participant.name });
      say('announce.joined', { name: participant.name });
      // A newcomer must learn which of our streams is the screen before its track arrives.
      if (this.#own.sharingScreen) this.#own.send();
    } else {
      this.#log.info('log.peer-present', { name: participant.name });
    }
  }

  #removeParticipant(id, reason) {
    this.#topology?.remove(id);
    const participant = this.#roster?.remove(id);
    if (!participant || !reason) return;
    this.#log.info(reason === 'disconnected' ? 'log.peer-disconnected' : 'log.peer-left', { name: participant.name });
    say('announce.left', { name: participant.name });
  }

  // A signal from someone we haven't heard of can only be a late relay; it is dropped.
  #peerFor(id) {
    if (!this.#roster?.has(id)) {
      this.#log.warn('log.unknown-sender', { id: String(id) });
      return null;
    }
    return this.#topology.ensure(id);
  }

  #onDescription(message) {
    const link = this.#peerFor(message.from);
    if (!link) return;
    this.#log.info(message.type === 'offer' ? 'log.offer-received' : 'log.answer-received', { name: this.#nameOf(message.from) });
    link.receiveDescription({ type: message.type, sdp: message.sdp });
  }

  #onRemoteMedia(message) {
    const participant = this.#roster?.setMedia(message.from, message);
    if (!participant) return;
    this.#topology?.announcedChanged(participant.id);
    this.#log.info('log.media-changed', {
      name: participant.name,
      mic: participant.media.mic ? '✓' : '✗',
      cam: participant.media.cam ? '✓' : '✗',
      screen: participant.media.screen ? '✓' : '✗',
    });
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
      actions: [{ t: 'action.enable-sound', onClick: () => this.#stage?.playAll() }],
    });
  }
}
