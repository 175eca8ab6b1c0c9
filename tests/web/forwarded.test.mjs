// The client's side of a forwarded room (web/js/forwarded.js): what it offers to the server,
// how the server's offers are answered or ignored, and whose each received track is, under
// node --test with the stand-ins of webrtc-fakes.mjs.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { FakeMediaStream, FakePeerConnection, FakeTrack, fakeSignaling, installFakes, serverSdp, settle } from './webrtc-fakes.mjs';

installFakes();
const { Forwarded, assignmentChanges, assignmentsOf, offerFailureAction, sendingTracks, serverOfferVerdict } =
  await import('../../web/js/forwarded.js');

const made = [];
afterEach(() => { for (const forwarded of made.splice(0)) forwarded.closeAll(); });

function forwardedRoom() {
  const signaling = fakeSignaling();
  const tracks = [];
  const logs = [];
  const states = [];
  const forwarded = new Forwarded({ iceServers: [{ urls: 'stun:x' }], iceTransportPolicy: 'relay', signaling, events: {
    onTrack: (id, track, streams, source) => tracks.push({ id, track, stream: streams[0], source }),
    onLog: (id, level, key, args) => logs.push({ level, key, args }),
    onConnectionState: (id, state) => states.push([id, state]),
  } });
  made.push(forwarded);
  const pc = FakePeerConnection.made.at(-1);
  return { forwarded, signaling, tracks, logs, states, pc };
}

const requests = (signaling, type) => signaling.sent.filter((s) => s.message.type === type);

test('pure: the sending m-sections with their sources, and only those sending a track', () => {
  const mic = { mid: '0', direction: 'sendonly' };
  const cam = { mid: '1', direction: 'sendonly' };
  const stopped = { mid: '2', direction: 'inactive' };
  const unnegotiated = { mid: null, direction: 'sendonly' };
  const theirs = { mid: '3', direction: 'recvonly' };
  const sending = new Map([[mic, { track: {}, source: 'microphone' }], [cam, { track: {}, source: 'camera' }],
    [stopped, { track: null, source: 'screen' }], [unnegotiated, { track: {}, source: 'screen' }]]);
  assert.deepEqual(sendingTracks([mic, cam, stopped, unnegotiated, theirs], sending),
    [{ mid: '0', source: 'microphone' }, { mid: '1', source: 'camera' }]);
});

test('pure: what changed hands between two server offers', () => {
  const before = assignmentsOf([{ mid: '3', from: 'pb', source: 'microphone' }, { mid: '4', from: 'pb', source: 'camera' },
    { mid: '5', from: 'pc', source: 'screen' }]);
  const after = assignmentsOf([{ mid: '3', from: 'pb', source: 'microphone' }, { mid: '5', from: 'pd', source: 'camera' },
    { mid: '6', from: 'pc', source: 'microphone' }]);
  const { gone, came } = assignmentChanges(before, after);
  assert.deepEqual(gone, [['4', { from: 'pb', source: 'camera' }], ['5', { from: 'pc', source: 'screen' }]]);
  assert.deepEqual(came, [['5', { from: 'pd', source: 'camera' }], ['6', { from: 'pc', source: 'microphone' }]]);
});

test('pure: a server offer is applied, ignored as crossed, or skipped as old or superseded', () => {
  assert.equal(serverOfferVerdict({ version: 3, applied: 2, newest: 3, ourOfferOut: false }), 'apply');
  assert.equal(serverOfferVerdict({ version: 3, applied: 2, newest: 2, ourOfferOut: true }), 'crossed');
  assert.equal(serverOfferVerdict({ version: 3, applied: 2, newest: 4, ourOfferOut: false }), 'superseded');
  assert.equal(serverOfferVerdict({ version: 2, applied: 2, newest: 2, ourOfferOut: false }), 'old');
  assert.equal(offerFailureAction('not-forwarded'), 'wait');
  assert.equal(offerFailureAction('bad-sdp'), 'give-up');
  assert.equal(offerFailureAction('timeout'), 'retry');
  assert.equal(offerFailureAction('rate-limited'), 'retry');
});

test('one connection with the room\'s ICE settings; open() offers what we send, by mid and source', async () => {
  const { forwarded, signaling, pc } = forwardedRoom();
  assert.deepEqual(pc.config, { iceServers: [{ urls: 'stun:x' }], iceTransportPolicy: 'relay' });
  const stream = new FakeMediaStream();
  forwarded.addLocalTrack(new FakeTrack('audio'), stream);
  forwarded.addLocalTrack(new FakeTrack('video'), stream);
  forwarded.addLocalTrack(new FakeTrack('video'), new FakeMediaStream(), 'screen');
  await settle();
  assert.equal(requests(signaling, 'media-offer').length, 0, 'nothing is offered before open()');
  await forwarded.open();
  await settle();
  const offers = requests(signaling, 'media-offer');
  assert.equal(offers.length, 1, 'one offer, negotiationneeded notwithstanding');
  assert.deepEqual(offers[0].message.tracks,
    [{ mid: '0', source: 'microphone' }, { mid: '1', source: 'camera' }, { mid: '2', source: 'screen' }]);
  offers[0].resolve({ type: 'media-answer', sdp: 'answer' });
  await settle();
  assert.equal(pc.signalingState, 'stable');
  assert.equal(pc.remoteDescription.sdp, 'answer');
});

test('the first offer has an audio and a video receive-only section per person known; the answer says whose tracks they carry', async () => {
  const { forwarded, signaling, pc, tracks } = forwardedRoom();
  const stream = new FakeMediaStream();
  forwarded.addLocalTrack(new FakeTrack('audio'), stream);
  forwarded.addLocalTrack(new FakeTrack('video'), stream);
  forwarded.ensure('pb');
  forwarded.ensure('pc');
  await forwarded.open();
  await settle();
  const [offer] = requests(signaling, 'media-offer');
  const sections = JSON.parse(pc.localDescription.sdp).sections;
  assert.deepEqual(sections.map((m) => m.direction), ['sendonly', 'sendonly', 'recvonly', 'recvonly', 'recvonly', 'recvonly']);
  assert.deepEqual(pc.getTransceivers().slice(2).map((t) => t.receiver.track.kind), ['audio', 'video', 'audio', 'video']);
  assert.deepEqual(offer.message.tracks, [{ mid: '0', source: 'microphone' }, { mid: '1', source: 'camera' }],
    'the receive-only sections are not ours to name');
  offer.resolve({ type: 'media-answer', sdp: 'answer', tracks: [
    { mid: '2', from: 'pb', source: 'microphone' }, { mid: '3', from: 'pb', source: 'camera' },
    { mid: '4', from: 'pc', source: 'microphone' }] });
  await settle();
  assert.deepEqual(tracks.map((t) => [t.id, t.source]), [['pb', 'microphone'], ['pb', 'camera'], ['pc', 'microphone']]);
  assert.deepEqual(forwarded.midsFrom('pb'), ['2', '3']);
  // The server's next offer puts a newcomer in the spare video section and keeps the rest.
  forwarded.ensure('pd');
  forwarded.receiveOffer({ type: 'media-offer', seq: 9, version: 1, sdp: serverSdp(sections.map(({ mid }, i) => ({ mid, kind: i % 2 ? 'video' : 'audio' }))),
    tracks: [{ mid: '2', from: 'pb', source: 'microphone' }, { mid: '3', from: 'pb', source: 'camera' },
      { mid: '4', from: 'pc', source: 'microphone' }, { mid: '5', from: 'pd', source: 'camera' }] });
  await settle();
  assert.deepEqual(tracks.map((t) => [t.id, t.source]).at(-1), ['pd', 'camera']);
  assert.equal(tracks.length, 4, 'what had an owner stays put');
  // Later offers (an ICE restart) make no more of them.
  forwarded.restartIce();
  await settle();
  assert.equal(pc.getTransceivers().length, 6);
});

test('an answer without tracks (an older server) changes no one\'s tracks', async () => {
  const { forwarded, signaling, tracks } = forwardedRoom();
  forwarded.ensure('pb');
  await forwarded.open();
  await settle();
  requests(signaling, 'media-offer')[0].resolve({ type: 'media-answer', sdp: 'answer' });
  await settle();
  assert.deepEqual(tracks, []);
});

test('every participant maps to the one server connection', () => {
  const { forwarded, pc } = forwardedRoom();
  forwarded.ensure('pb', { opens: true });
  forwarded.ensure('pc');
  assert.deepEqual([...forwarded.connections], [['pb', pc], ['pc', pc]]);
  assert.equal(forwarded.opensTowards('pb'), true);
  forwarded.remove('pb');
  assert.deepEqual([...forwarded.connections.keys()], ['pc']);
});

test('the server\'s offer is answered with its version, and each track goes to its owner\'s stream', async () => {
  const { forwarded, signaling, tracks } = forwardedRoom();
  forwarded.ensure('pb');
  forwarded.ensure('pc');
  forwarded.receiveOffer({ type: 'media-offer', seq: 4, version: 1,
    sdp: serverSdp([{ mid: '0', kind: 'audio' }, { mid: '1', kind: 'video' }, { mid: '2', kind: 'video' }, { mid: '3', kind: 'audio' }]),
    tracks: [{ mid: '0', from: 'pb', source: 'microphone' }, { mid: '1', from: 'pb', source: 'camera' },
      { mid: '2', from: 'pb', source: 'screen' }, { mid: '3', from: 'pc', source: 'microphone' }] });
  await settle();
  const [answer] = requests(signaling, 'media-answer');
  assert.deepEqual(answer.message, { type: 'media-answer', version: 1, sdp: 'answer' });
  assert.deepEqual(tracks.map((t) => [t.id, t.source]), [['pb', 'microphone'], ['pb', 'camera'], ['pb', 'screen'], ['pc', 'microphone']]);
  const [mic, cam, screen, other] = tracks;
  assert.equal(mic.stream, cam.stream, 'microphone and camera share one stream: one tile');
  assert.notEqual(screen.stream, cam.stream, 'the screen has a stream of its own');
  assert.notEqual(other.stream, mic.stream, 'each person has their own');
  assert.deepEqual(cam.stream.getTracks(), [mic.track, cam.track]);
});

test('an m-section given to someone else leaves the first owner\'s stream (with removetrack) for the other\'s', async () => {
  const { forwarded, signaling, tracks } = forwardedRoom();
  forwarded.ensure('pb');
  forwarded.ensure('pc');
  const sdp = serverSdp([{ mid: '0', kind: 'video' }]);
  forwarded.receiveOffer({ version: 1, sdp, tracks: [{ mid: '0', from: 'pb', source: 'camera' }] });
  await settle();
  const [first] = tracks;
  let removed = null;
  first.stream.addEventListener('removetrack', (event) => { removed = event.track; });
  forwarded.receiveOffer({ version: 2, sdp, tracks: [{ mid: '0', from: 'pc', source: 'camera' }] });
  await settle();
  assert.equal(removed, first.track);
  assert.deepEqual(first.stream.getTracks(), []);
  assert.deepEqual(tracks.slice(1).map((t) => [t.id, t.track === first.track]), [['pc', true]]);
  assert.deepEqual(requests(signaling, 'media-answer').map((r) => r.message.version), [1, 2]);
});

test('tracks of someone the call does not know yet are handed over when it does', async () => {
  const { forwarded, tracks } = forwardedRoom();
  forwarded.receiveOffer({ version: 1, sdp: serverSdp([{ mid: '0', kind: 'audio' }]),
    tracks: [{ mid: '0', from: 'pz', source: 'microphone' }] });
  await settle();
  assert.equal(tracks.length, 0);
  forwarded.ensure('pz');
  assert.deepEqual(tracks.map((t) => [t.id, t.source]), [['pz', 'microphone']]);
});

test('glare: a server offer that crosses ours is ignored; the newer one after our answer is applied', async () => {
  const { forwarded, signaling, logs } = forwardedRoom();
  forwarded.addLocalTrack(new FakeTrack('audio'), new FakeMediaStream());
  forwarded.open();
  await settle();
  const [offer] = requests(signaling, 'media-offer');
  forwarded.receiveOffer({ version: 5, sdp: serverSdp([{ mid: '1', kind: 'audio' }]), tracks: [] });
  await settle();
  assert.equal(requests(signaling, 'media-answer').length, 0, 'the crossing offer is not answered');
  assert.ok(logs.some((l) => l.key === 'log.server-offer-crossed' && l.args.version === 5));
  offer.resolve({ type: 'media-answer', sdp: 'answer' });
  await new Promise((resolve) => setImmediate(resolve)); // the next message comes in a task of its own
  // The server yields: having answered ours, it offers again, newer.
  forwarded.receiveOffer({ version: 6, sdp: serverSdp([{ mid: '1', kind: 'audio' }]), tracks: [] });
  await settle();
  assert.deepEqual(requests(signaling, 'media-answer').map((r) => r.message.version), [6]);
});

test('an offer superseded before it is applied is skipped; a replayed one too', async () => {
  const { forwarded, signaling } = forwardedRoom();
  const sdp = serverSdp([{ mid: '0', kind: 'audio' }]);
  forwarded.receiveOffer({ version: 1, sdp, tracks: [] });
  forwarded.receiveOffer({ version: 2, sdp, tracks: [] });
  await settle();
  forwarded.receiveOffer({ version: 2, sdp, tracks: [] });
  await settle();
  assert.deepEqual(requests(signaling, 'media-answer').map((r) => r.message.version), [2]);
});

test('a stale-offer reply to our answer just waits for the newer offer', async () => {
  const { forwarded, signaling, logs } = forwardedRoom();
  forwarded.receiveOffer({ version: 1, sdp: serverSdp([]), tracks: [] });
  await settle();
  requests(signaling, 'media-answer')[0].reject(Object.assign(new Error('newer'), { code: 'stale-offer' }));
  await settle();
  assert.ok(logs.some((l) => l.key === 'log.server-answer-stale' && l.level === 'info'));
  assert.equal(requests(signaling, 'media-offer').length, 0);
});

test('bad-sdp is said and not retried; not-forwarded waits; an unanswered offer is made again', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  for (const [code, level, key, retried] of [['bad-sdp', 'error', 'log.server-offer-refused', false],
    ['not-forwarded', 'info', 'log.server-not-forwarded', false], ['timeout', 'warn', 'log.server-offer-failed', true]]) {
    const { forwarded, signaling, logs, pc } = forwardedRoom();
    forwarded.open();
    await settle();
    requests(signaling, 'media-offer')[0].reject(Object.assign(new Error('nope'), { code }));
    await settle();
    assert.equal(pc.signalingState, 'stable', `${code}: our offer is rolled back`);
    assert.ok(logs.some((l) => l.key === key && l.level === level), `${code}: ${key}`);
    t.mock.timers.tick(2000);
    await settle();
    assert.equal(requests(signaling, 'media-offer').length, retried ? 2 : 1, code);
  }
});

test('ICE restart is a new media-offer; any participant\'s restart restarts the one connection', async () => {
  const { forwarded, signaling, pc } = forwardedRoom();
  forwarded.open();
  await settle();
  requests(signaling, 'media-offer')[0].resolve({ sdp: 'answer' });
  await settle();
  forwarded.ensure('pb');
  forwarded.restartIce('pb');
  await settle();
  const offers = requests(signaling, 'media-offer');
  assert.equal(offers.length, 2);
  assert.equal(JSON.parse(offers[1].message.sdp).iceRestart, 1);
  assert.equal(pc.restarts, 1);
});

test('a screen share stopped and started again reuses its m-section', async () => {
  const { forwarded, signaling } = forwardedRoom();
  forwarded.open();
  await settle();
  const screen = new FakeTrack('video');
  forwarded.addLocalTrack(screen, new FakeMediaStream(), 'screen');
  requests(signaling, 'media-offer')[0].resolve({ sdp: 'answer' });
  await settle();
  requests(signaling, 'media-offer')[1].resolve({ sdp: 'answer' });
  await settle();
  forwarded.removeLocalTrack(screen);
  await settle();
  assert.deepEqual(requests(signaling, 'media-offer')[2].message.tracks, [], 'the stopped screen is not said to be sent');
  requests(signaling, 'media-offer')[2].resolve({ sdp: 'answer' });
  await settle();
  forwarded.addLocalTrack(new FakeTrack('video'), new FakeMediaStream(), 'screen');
  await settle();
  assert.deepEqual(requests(signaling, 'media-offer')[3].message.tracks, [{ mid: '0', source: 'screen' }]);
});

test('the connection state is told for every participant', () => {
  const { forwarded, states, pc } = forwardedRoom();
  forwarded.ensure('pb');
  forwarded.ensure('pc');
  pc.setConnectionState('connected');
  assert.deepEqual(states, [['pb', 'connected'], ['pc', 'connected']]);
});

test('an offer refused as media-connection-lost asks for a new connection; so does a refused answer', async () => {
  const signaling = fakeSignaling();
  let lost = 0;
  const forwarded = new Forwarded({ iceServers: [], signaling, events: {
    onTrack: () => {}, onLog: () => {}, onConnectionState: () => {}, onConnectionLost: () => { lost += 1; },
  } });
  made.push(forwarded);
  forwarded.ensure('pb');
  await forwarded.open();
  await settle();
  requests(signaling, 'media-offer')[0].reject(Object.assign(new Error('dropped'), { code: 'media-connection-lost' }));
  await settle();
  assert.equal(lost, 1);
  assert.equal(requests(signaling, 'media-offer').length, 1, 'not retried: a new connection is what helps');
  forwarded.receiveOffer({ type: 'media-offer', seq: 5, version: 1, sdp: serverSdp([{ mid: '9', kind: 'audio' }]), tracks: [] });
  await settle();
  requests(signaling, 'media-answer')[0].reject(Object.assign(new Error('dropped'), { code: 'media-connection-lost' }));
  await settle();
  assert.equal(lost, 2);
});
