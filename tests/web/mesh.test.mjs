// Who opens the first negotiation, under node --test with a stand-in RTCPeerConnection that
// keeps just the signaling states: the newcomer offers at once, the one already in the room
// waits for that offer and answers it, so a pair makes exactly one first offer whatever ids
// the server handed out.
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';

class FakePeerConnection {
  signalingState = 'stable';
  localDescription = null;
  remoteDescription = null;
  onnegotiationneeded = null;
  #transceivers = [];

  addTrack(track) {
    const sender = { track };
    this.#transceivers.push(sender);
    this.#negotiationNeeded();
    return sender;
  }

  addTransceiver(kind) {
    this.#transceivers.push({ kind });
    this.#negotiationNeeded();
  }

  getTransceivers() { return this.#transceivers; }

  async setLocalDescription() {
    const type = this.signalingState === 'have-remote-offer' ? 'answer' : 'offer';
    this.localDescription = { type, sdp: `${type} sdp` };
    this.signalingState = type === 'offer' ? 'have-local-offer' : 'stable';
  }

  async setRemoteDescription(description) {
    this.remoteDescription = description;
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
  }

  async addIceCandidate() {}
  removeTrack() {}
  restartIce() {}
  close() { this.signalingState = 'closed'; }

  // As in browsers: the event comes later, and only while stable.
  #negotiationNeeded() {
    queueMicrotask(() => { if (this.signalingState === 'stable') this.onnegotiationneeded?.(); });
  }
}

globalThis.RTCPeerConnection = FakePeerConnection;
globalThis.window = { addEventListener() {}, removeEventListener() {} };
const { Mesh } = await import('../../web/js/mesh.js');

// Everything queued so far (microtasks, the fake's events) has run.
const settle = () => new Promise((resolve) => setImmediate(resolve));

const meshes = [];
afterEach(() => { for (const mesh of meshes.splice(0)) mesh.closeAll(); });

// A mesh whose outgoing signals land in `sent`; selfId is passed for clients that still
// decide by ids, so a test with the newcomer holding the greater id catches them.
function meshOf(selfId, sent) {
  const signaling = {
    send: (message) => { sent.push({ from: selfId, ...message }); return true; },
    request: (message) => { sent.push({ from: selfId, ...message }); return Promise.resolve({ type: 'ok' }); },
  };
  const mesh = new Mesh({ selfId, iceServers: [], signaling, peers: new Map(), events: {
    onTrack() {}, onLog() {}, onConnectionState() {},
  } });
  mesh.addLocalTrack({ kind: 'video', id: `${selfId}-camera` }, { id: `${selfId}-stream` });
  meshes.push(mesh);
  return mesh;
}

test('the newcomer has its offer out by the time opening settles, without waiting for an event', async () => {
  const sent = [];
  const newcomer = meshOf('pz', sent);
  const link = newcomer.ensure('pa', { opens: true });
  await link.opening;
  assert.deepEqual(sent.map((m) => [m.type, m.to]), [['offer', 'pa']]);
  assert.equal(newcomer.opensTowards('pa'), true);
});

test('the one already in the room sends no offer of its own and answers the newcomer', async () => {
  const sent = [];
  const seated = meshOf('pa', sent);
  const link = seated.ensure('pz');
  await settle();
  assert.deepEqual(sent, [], 'no first offer from the one already in the room');
  assert.equal(seated.opensTowards('pz'), false);
  link.receiveDescription({ type: 'offer', sdp: 'offer sdp' });
  await settle();
  assert.deepEqual(sent.map((m) => [m.type, m.to]), [['answer', 'pz']]);
});

test('a pair makes exactly one first offer, from the newcomer, whichever id is greater', async () => {
  for (const [newcomerId, seatedId] of [['pz', 'pa'], ['pa', 'pz']]) {
    const sent = [];
    const seated = meshOf(seatedId, sent);
    const newcomer = meshOf(newcomerId, sent);
    // As the server orders it: `participant-joined` reaches the seated one before any offer.
    const seatedLink = seated.ensure(newcomerId);
    const newcomerLink = newcomer.ensure(seatedId, { opens: true });
    await newcomerLink.opening;
    await settle();
    const offer = sent.find((m) => m.type === 'offer');
    seatedLink.receiveDescription({ type: 'offer', sdp: offer.sdp });
    await settle();
    const answer = sent.find((m) => m.type === 'answer');
    newcomerLink.receiveDescription({ type: 'answer', sdp: answer.sdp });
    await settle();
    assert.deepEqual(sent.map((m) => [m.type, m.from, m.to]),
      [['offer', newcomerId, seatedId], ['answer', seatedId, newcomerId]]);
    assert.equal(seatedLink.pc.signalingState, 'stable');
    assert.equal(newcomerLink.pc.signalingState, 'stable');
  }
});
