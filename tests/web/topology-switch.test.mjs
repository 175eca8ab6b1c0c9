// Moving a call between a mesh and the server (web/js/topology-switch.js): who serves each
// person's tiles while the room moves, when the old topology is let go, and who offers when
// the room goes back to peer to peer. The two topologies are stand-ins that record what they
// are asked and emit what a test tells them to.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FakeMediaStream, FakePeerConnection, FakeTrack, fakeSignaling, installFakes, serverSdp, settle } from './webrtc-fakes.mjs';

installFakes();
const { TopologySwitch, announcedCount, firstServer, readyToMove } = await import('../../web/js/topology-switch.js');

class StandIn {
  connections = new Map();
  opens = new Map();
  closed = false;
  opened = 0;
  localTracks = [];
  restarted = [];
  constructor(kind, events) {
    this.kind = kind;
    this.events = events;
  }

  ensure(id, { opens = false } = {}) {
    if (!this.connections.has(id)) {
      this.connections.set(id, { connectionState: 'new', of: `${this.kind}:${id}` });
      this.opens.set(id, opens);
    }
    return { of: `${this.kind}:${id}` };
  }

  has(id) { return this.connections.has(id); }
  remove(id) { this.connections.delete(id); }
  opensTowards(id) { return this.opens.get(id) ?? false; }
  restartIce(id) { this.restarted.push(id); }
  open() { this.opened += 1; return Promise.resolve(); }
  addLocalTrack(track, stream, source) { this.localTracks.push([track, source]); }
  replaceLocalTrack() {}
  removeLocalTrack() {}
  closeAll() { this.closed = true; }

  // Test helpers: their connection comes up; a track of theirs arrives (flowing or not yet).
  connect(id) {
    this.connections.get(id).connectionState = 'connected';
    this.events.onConnectionState(id, 'connected');
  }

  track(id, kind, { flowing = true, stream = new FakeMediaStream(), source } = {}) {
    const track = new FakeTrack(kind, { muted: !flowing });
    stream.addTrack(track);
    this.events.onTrack(id, track, [stream], source);
    return track;
  }
}

function call({ topology = 'mesh', announced = {}, timeoutMs = 10_000 } = {}) {
  const made = { mesh: [], forwarded: [] };
  const shown = []; // what the roster was told: ['track', id, track] | ['moved', id]
  const logs = [];
  const sw = new TopologySwitch({
    topology,
    signaling: {},
    iceServers: [],
    timeoutMs,
    announced: (id) => announced[id] ?? 0,
    nameOf: (id) => id.toUpperCase(),
    make: {
      mesh: ({ events }) => { const t = new StandIn('mesh', events); made.mesh.push(t); return t; },
      forwarded: ({ events }) => { const t = new StandIn('forwarded', events); made.forwarded.push(t); return t; },
    },
    events: {
      onTrack: (id, track) => shown.push(['track', id, track]),
      onMediaMoved: (id) => shown.push(['moved', id]),
      onLog: (id, level, key, args) => logs.push({ level, key, args }),
      onConnectionState: () => {},
    },
  });
  return { sw, made, shown, logs, mesh: () => made.mesh.at(-1), forwarded: () => made.forwarded.at(-1) };
}

test('pure: a person moves once connected with as many tracks flowing as they announce', () => {
  assert.equal(readyToMove({ connectionState: 'connected', announced: 2, flowing: 2 }), true);
  assert.equal(readyToMove({ connectionState: 'connected', announced: 2, flowing: 1 }), false);
  assert.equal(readyToMove({ connectionState: 'connecting', announced: 0, flowing: 0 }), false);
  assert.equal(readyToMove({ connectionState: 'connected', announced: 0, flowing: 0 }), true, 'someone who sends nothing');
  assert.equal(announcedCount({ mic: true, cam: false, screen: true }), 2);
  assert.equal(announcedCount(null), 0);
});

test('pure: who serves someone ensured during a move', () => {
  assert.equal(firstServer({ target: 'forwarded', moving: false, oldHasThem: false }), 'forwarded');
  assert.equal(firstServer({ target: 'forwarded', moving: true, oldHasThem: false }), 'forwarded', 'a newcomer');
  assert.equal(firstServer({ target: 'mesh', moving: true, oldHasThem: true }), 'forwarded', 'a fresh start of someone the server brings');
});

test('a mesh room is the mesh alone: same links, same connections, no server connection', () => {
  const { sw, made, mesh } = call();
  const link = sw.ensure('pa', { opens: true });
  sw.ensure('pb');
  assert.deepEqual(link, { of: 'mesh:pa' });
  assert.deepEqual([...sw.connections.keys()], ['pa', 'pb']);
  assert.equal(sw.connections.get('pa'), mesh().connections.get('pa'));
  assert.equal(made.forwarded.length, 0);
  assert.equal(sw.opensTowards('pa'), true);
  sw.remove('pa');
  sw.ensure('pa', { opens: false }); // a rebuild: last in line, as the mesh's own map has it
  assert.deepEqual([...sw.connections.keys()], ['pb', 'pa']);
});

test('joining a forwarded room: the server connection only, opened once, standing for everyone', async () => {
  const { sw, made, forwarded, shown } = call({ topology: 'forwarded' });
  await sw.open();
  sw.ensure('pa', { opens: true });
  assert.equal(made.mesh.length, 0);
  assert.equal(forwarded().opened, 1);
  const track = forwarded().track('pa', 'audio', { source: 'microphone' });
  assert.deepEqual(shown, [['track', 'pa', track]]);
});

test('mesh to forwarded: tiles keep the mesh\'s media until the server brings each person\'s, then the mesh goes', () => {
  const { sw, mesh, forwarded, shown, logs } = call({ announced: { pa: 2, pb: 1 } });
  sw.ensure('pa', { opens: true });
  sw.ensure('pb');
  const meshLinks = mesh();
  meshLinks.track('pa', 'audio');
  sw.setTopology('forwarded');
  assert.equal(forwarded().opened, 1, 'the first offer to the server leaves at once');
  assert.deepEqual([...forwarded().connections.keys()], ['pa', 'pb']);
  forwarded().connect('pa');
  forwarded().connect('pb');
  const paMic = forwarded().track('pa', 'audio');
  assert.equal(shown.at(-1)[0], 'track', 'one track of two: Pa still shows the mesh');
  assert.equal(sw.connections.get('pa'), meshLinks.connections.get('pa'));
  const paCam = forwarded().track('pa', 'video', { flowing: false });
  paCam.flow();
  assert.deepEqual(shown.slice(-3), [['moved', 'pa'], ['track', 'pa', paMic], ['track', 'pa', paCam]]);
  assert.equal(sw.connections.get('pa'), forwarded().connections.get('pa'), 'meters and Diagnostics read what is shown');
  assert.equal(meshLinks.closed, false, 'Pb has not moved yet');
  forwarded().track('pb', 'audio');
  assert.equal(meshLinks.closed, true);
  assert.ok(logs.some((l) => l.key === 'log.switch-done-forwarded'));
  assert.deepEqual(sw.ensure('pb'), { of: 'forwarded:pb' }, 'a late relayed signal finds no mesh link');
});

test('a move that does not complete in time goes ahead and says for whom it did not wait', (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const { sw, mesh, forwarded, shown, logs } = call({ announced: { pa: 1 }, timeoutMs: 10_000 });
  sw.ensure('pa', { opens: true });
  sw.setTopology('forwarded');
  t.mock.timers.tick(9_999);
  assert.equal(mesh().closed, false);
  t.mock.timers.tick(1);
  assert.equal(mesh().closed, true);
  assert.deepEqual(shown, [['moved', 'pa']]);
  assert.ok(logs.some((l) => l.key === 'log.switch-late' && l.level === 'warn' && l.args.names === 'PA'));
});

test('forwarded to mesh: of each pair the later arrival offers; the server connection stays until the links are up', () => {
  const { sw, mesh, forwarded, logs } = call({ topology: 'forwarded' });
  sw.ensure('early', { opens: true }); // listed in joined: there before us
  sw.ensure('late', { opens: false }); // announced by participant-joined: came after us
  const server = forwarded();
  sw.setTopology('mesh');
  assert.equal(mesh().opensTowards('early'), true, 'we came after them: we offer');
  assert.equal(mesh().opensTowards('late'), false, 'they came after us: they offer');
  mesh().connect('early');
  assert.equal(server.closed, false);
  mesh().connect('late');
  assert.equal(server.closed, true);
  assert.ok(logs.some((l) => l.key === 'log.switch-done-mesh'));
  assert.equal(sw.connections.get('late'), mesh().connections.get('late'));
});

test('a reloaded page counts as new: rebuilt while forwarded, it offers when the room goes peer to peer', () => {
  const { sw, mesh } = call({ topology: 'forwarded' });
  sw.ensure('pa', { opens: true });
  sw.remove('pa'); // participant-connection rebuild: true
  sw.ensure('pa', { opens: false });
  sw.setTopology('mesh');
  assert.equal(mesh().opensTowards('pa'), false);
});

test('someone who comes in during a move is served by the new topology at once', () => {
  const { sw, shown, forwarded, mesh } = call({ announced: { pa: 1 } });
  sw.ensure('pa', { opens: true });
  sw.setTopology('forwarded');
  sw.ensure('pn');
  assert.equal(mesh().has('pn'), false, 'no mesh link for a newcomer to a forwarded room');
  const track = forwarded().track('pn', 'audio');
  assert.deepEqual(shown.at(-1), ['track', 'pn', track]);
});

test('alone in the room, a move has nothing to wait for', () => {
  const { sw, mesh } = call();
  const first = mesh();
  sw.setTopology('forwarded');
  assert.equal(first.closed, true);
  sw.setTopology('mesh');
  assert.equal(sw.topology, 'mesh');
});

test('local tracks go to both topologies during a move, the screen said to be one', () => {
  const { sw, mesh, forwarded } = call();
  const mic = new FakeTrack('audio');
  sw.addLocalTrack(mic, new FakeMediaStream());
  sw.ensure('pa', { opens: true });
  sw.setTopology('forwarded');
  const screen = new FakeTrack('video');
  sw.addLocalTrack(screen, new FakeMediaStream(), 'screen');
  assert.deepEqual(forwarded().localTracks, [[mic, null], [screen, 'screen']]);
  assert.deepEqual(mesh().localTracks, [[mic, null], [screen, 'screen']]);
});

test('a media-offer from the server in a mesh room is said and dropped', () => {
  const { sw, logs } = call();
  sw.serverOffer({ type: 'media-offer', version: 1, sdp: 'v=0', tracks: [] });
  assert.ok(logs.some((l) => l.key === 'log.server-offer-unexpected'));
});

test('restartIce goes to whichever connection serves the person', () => {
  const { sw, forwarded } = call({ topology: 'forwarded' });
  sw.ensure('pa', { opens: true });
  sw.restartIce('pa');
  assert.deepEqual(forwarded().restarted, ['pa']);
});

test('a move waiting for a screen share is done once it is announced stopped', () => {
  const announced = { pa: 2 };
  const { sw, mesh, forwarded } = call({ announced });
  sw.ensure('pa', { opens: true });
  sw.setTopology('forwarded');
  forwarded().connect('pa');
  forwarded().track('pa', 'audio');
  assert.equal(mesh().closed, false);
  announced.pa = 1;
  sw.announcedChanged('pa');
  assert.equal(mesh().closed, true);
});

test('with the real Mesh and Forwarded: a mesh call moves to the server and back', async () => {
  const signaling = fakeSignaling();
  const shown = [];
  const sw = new TopologySwitch({ topology: 'mesh', iceServers: [], signaling, announced: () => 1, events: {
    onTrack: (id, track, streams, source) => shown.push([id, track.kind, source]),
    onMediaMoved: (id) => shown.push([id, 'moved']),
    onLog() {}, onConnectionState() {},
  } });
  sw.addLocalTrack(new FakeTrack('audio'), new FakeMediaStream());
  const link = sw.ensure('pa', { opens: true });
  await link.opening;
  assert.deepEqual(signaling.sent.map((s) => [s.message.type, s.message.to]), [['offer', 'pa']]);
  const meshPc = sw.connections.get('pa');

  sw.setTopology('forwarded');
  await settle();
  const serverPc = FakePeerConnection.made.at(-1);
  assert.notEqual(serverPc, meshPc);
  const offer = signaling.sent.find((s) => s.message.type === 'media-offer');
  assert.deepEqual(offer.message.tracks, [{ mid: '0', source: 'microphone' }]);
  offer.resolve({ type: 'media-answer', sdp: 'answer' });
  await settle();
  serverPc.setConnectionState('connected');
  sw.serverOffer({ type: 'media-offer', version: 1, sdp: serverSdp([{ mid: '1', kind: 'audio' }]),
    tracks: [{ mid: '1', from: 'pa', source: 'microphone' }] });
  await settle();
  assert.equal(sw.connections.get('pa'), meshPc, 'the track is there but no packet has come yet');
  serverPc.getTransceivers().find((t) => t.mid === '1').receiver.track.flow();
  assert.equal(sw.connections.get('pa'), serverPc);
  assert.equal(meshPc.signalingState, 'closed', 'the mesh link is closed once Pa has moved');
  assert.deepEqual(shown, [['pa', 'moved'], ['pa', 'audio', 'microphone']]);

  sw.setTopology('mesh');
  const newLink = sw.ensure('pa');
  assert.equal(newLink.polite, false, 'we came in after Pa: we offer again');
  await newLink.opening;
  assert.equal(signaling.sent.filter((s) => s.message.type === 'offer').length, 2);
  sw.closeAll();
});

test('after closeAll a late signal or room-state opens nothing', () => {
  const { sw, made } = call();
  sw.ensure('pa', { opens: true });
  sw.closeAll();
  const end = sw.ensure('pa');
  end.receiveDescription({ type: 'offer', sdp: 'v=0' });
  sw.setTopology('forwarded');
  assert.equal(made.mesh.length, 1);
  assert.equal(made.mesh[0].connections.size, 1, 'the closed mesh got no new link');
  assert.equal(made.forwarded.length, 0);
  assert.equal(sw.connections.size, 0);
});

test('a server connection the server dropped is replaced by a new one that carries everything again', () => {
  const { sw, made, shown, logs, forwarded } = call({ topology: 'forwarded' });
  const mic = new FakeTrack('audio');
  sw.addLocalTrack(mic, new FakeMediaStream([mic]));
  sw.ensure('pa');
  sw.ensure('pb');
  sw.open();
  const old = forwarded();
  old.track('pa', 'video');
  sw.renewServerConnection();
  assert.equal(old.closed, true);
  assert.equal(made.forwarded.length, 2);
  const renewed = forwarded();
  assert.deepEqual(renewed.localTracks, [[mic, null]], 'what we send goes on the new one');
  assert.deepEqual([...renewed.connections.keys()], ['pa', 'pb']);
  assert.equal(renewed.opened, 1);
  assert.equal(sw.connections.get('pa'), renewed.connections.get('pa'));
  assert.equal(sw.servedBy('pa'), 'forwarded');
  assert.deepEqual(shown.filter(([what]) => what === 'moved').map(([, id]) => id), ['pa', 'pb'], 'the tiles drop the old tracks');
  const track = renewed.track('pa', 'video');
  assert.deepEqual(shown.at(-1), ['track', 'pa', track]);
  assert.ok(logs.some((l) => l.key === 'log.server-connection-renewed'));
  // The old one's own refusal, arriving late, changes nothing; the new one's renews again.
  old.events.onConnectionLost();
  assert.equal(made.forwarded.length, 2);
  renewed.events.onConnectionLost();
  assert.equal(made.forwarded.length, 3);
});

test('in a mesh room there is no server connection to renew', () => {
  const { sw, made } = call();
  sw.ensure('pa');
  assert.equal(sw.servedBy('pa'), 'mesh');
  sw.renewServerConnection();
  assert.equal(made.forwarded.length, 0);
});
