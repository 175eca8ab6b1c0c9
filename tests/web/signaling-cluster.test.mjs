// The signaling (web/js/signaling.js) in a cluster of nodes, on fake sockets and a mocked
// clock: a join or resume answered room-elsewhere goes on to that node on a new socket (the old
// one closed), at most three redirects in a row; one answered room-moving is asked again until
// the room is back, or given up on after about 30 s; every resume names its room; and a
// reconnect after a drop asks the node it was on and the page's home node in turn.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';

import { FakeNetwork, reply } from './fake-network.mjs';
import { Signaling } from '../../web/js/signaling.js';
import * as protocol from '../../web/js/protocol.js';
import { MAX_HOPS, MOVING_GIVE_UP_MS } from '../../web/js/cluster-follow.js';

const HOME = 'ws://home:8080/ws';
const NODE_B = 'ws://node-b:8081/ws';
const NODE_C = 'ws://node-c:8082/ws';
const ROOM = 'brave-otter-417';

let net;
let signalings;

beforeEach(() => {
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 });
  net = new FakeNetwork().install();
  signalings = [];
});

afterEach(() => {
  for (const s of signalings) s.close();
  mock.timers.reset();
});

// Microtasks and promise chains run to the end (setImmediate is not mocked).
const settle = () => new Promise((resolve) => setImmediate(resolve));

// Lets `ms` of mocked time pass in small steps, with everything each step set off.
async function pass(ms, step = 50) {
  await settle();
  for (let t = 0; t < ms; t += step) {
    mock.timers.tick(step);
    await settle();
  }
}

// Waits (in mocked time, at most `limitMs`) for a promise, and says how long it took.
async function within(promise, limitMs) {
  let outcome = null;
  promise.then((value) => { outcome = { value }; }, (error) => { outcome = { error }; });
  const started = Date.now();
  await settle();
  while (outcome === null && Date.now() - started < limitMs) await pass(50);
  assert.ok(outcome, `settled within ${limitMs} ms`);
  return { ...outcome, tookMs: Date.now() - started };
}

async function connected(url = HOME) {
  const signaling = new Signaling();
  signalings.push(signaling);
  const opening = signaling.connect(url);
  await pass(0);
  await opening;
  return signaling;
}

function events(signaling, type) {
  const seen = [];
  signaling.on(type, (payload) => seen.push(payload));
  return seen;
}

const joinMessage = protocol.join({ room: ROOM, name: 'Ann', media: { mic: true, cam: true, screen: false }, password: 'pw' });

test('a join answered room-elsewhere is sent as it was to that node, and the old socket closed', async () => {
  net.node(HOME, (m, s) => s.deliver(reply.elsewhere(m, 'http://node-b:8081')));
  net.node(NODE_B, (m, s) => s.deliver(reply.joined(m)));
  const signaling = await connected();
  const following = events(signaling, 'following');

  const { value } = await within(signaling.enter(joinMessage), 1000);

  assert.equal(value.type, 'joined');
  assert.equal(signaling.url, NODE_B, 'the signaling is on the room\'s node now');
  assert.deepEqual(following, [{ url: NODE_B, hops: 1 }]);
  const [joinAtB] = net.received(NODE_B, 'join');
  const { req: _, ...sameJoin } = joinAtB;
  assert.deepEqual(sameJoin, joinMessage, 'the same join, password and all');
  const homeSocket = net.sockets.find((s) => s.url === HOME);
  assert.equal(homeSocket.closedWith, 1000, 'the socket to the home node is closed');
  assert.equal(signaling.isOpen, true);
  // Requests go to the room's node from now on.
  net.node(NODE_B, (m, s) => s.deliver({ type: 'ok', req: m.req }));
  const { value: ok } = await within(signaling.request(protocol.chat('hi')), 1000);
  assert.equal(ok.type, 'ok');
  assert.equal(net.received(NODE_B, 'chat').length, 1);
});

test(`redirects are followed at most ${MAX_HOPS} in a row; then the join fails with room-elsewhere`, async () => {
  // Nodes that disagree: each sends the page to the next, round and round.
  const ring = [HOME, NODE_B, NODE_C];
  const publicUrl = (ws) => ws.replace('ws://', 'http://').replace('/ws', '');
  ring.forEach((url, i) => net.node(url, (m, s) => s.deliver(reply.elsewhere(m, publicUrl(ring[(i + 1) % ring.length])))));
  const signaling = await connected();

  const { error } = await within(signaling.enter(joinMessage), 1000);

  assert.equal(error.code, 'room-elsewhere');
  assert.deepEqual(net.opened(), [HOME, NODE_B, NODE_C, HOME], `${MAX_HOPS} redirects followed, no more`);
  assert.equal(net.sockets.flatMap((s) => s.sent).filter((m) => m.type === 'join').length, MAX_HOPS + 1);
});

test('a join answered room-moving is asked again after retryAfterMs, and the person is told', async () => {
  let asked = 0;
  net.node(HOME, (m, s) => s.deliver(++asked < 3 ? reply.moving(m, 1000) : reply.joined(m)));
  const signaling = await connected();
  const moving = events(signaling, 'moving');

  const { value, tookMs } = await within(signaling.enter(joinMessage), 10_000);

  assert.equal(value.type, 'joined');
  assert.equal(asked, 3);
  assert.equal(moving.length, 2);
  for (const m of moving) {
    assert.equal(m.reconnecting, false);
    assert.ok(m.waitMs >= 1000 && m.waitMs <= 1200, `waits retryAfterMs plus a little jitter (${m.waitMs})`);
  }
  assert.ok(tookMs >= 2000, `asked again only after the waits (${tookMs} ms)`);
  assert.deepEqual(net.opened(), [HOME], 'asked again on the same socket');
});

test('a room moving for about 30 s is given up on with room-moving', async () => {
  net.node(HOME, (m, s) => s.deliver(reply.moving(m, 1000)));
  const signaling = await connected();

  const { error, tookMs } = await within(signaling.enter(joinMessage), 60_000);

  assert.equal(error.code, 'room-moving');
  assert.ok(tookMs >= MOVING_GIVE_UP_MS - 1500 && tookMs <= MOVING_GIVE_UP_MS + 1500, `gave up after ${tookMs} ms`);
});

test('closing the signaling during a wait ends the join at once', async () => {
  net.node(HOME, (m, s) => s.deliver(reply.moving(m, 5000)));
  const signaling = await connected();
  const entering = signaling.enter(joinMessage);
  await pass(100);
  signaling.close();
  const { error, tookMs } = await within(entering, 1000);
  assert.equal(error.code, 'closed');
  assert.ok(tookMs < 1000);
});

test('a redirect to a node that cannot be reached asks the home node again a moment later', async () => {
  let asked = 0;
  net.node(HOME, (m, s) => s.deliver(++asked === 1 ? reply.elsewhere(m, 'http://node-b:8081') : reply.joined(m)));
  const signaling = await connected();
  const { value } = await within(signaling.enter(joinMessage), 5000);
  assert.equal(value.type, 'joined');
  assert.deepEqual(net.opened(), [HOME, NODE_B]);
  assert.equal(signaling.url, HOME);
});

test('a snapshot resume names its room, and follows the room to its node', async () => {
  net.node(HOME, (m, s) => s.deliver(reply.elsewhere(m, 'http://node-b:8081')));
  net.node(NODE_B, (m, s) => s.deliver(reply.resumed(m, { lastSeq: 7, snapshot: { type: 'joined', room: ROOM, resumeToken: 'p1.secret' } })));
  const signaling = await connected();

  const { value } = await within(signaling.resumeSnapshot('p1.secret', ROOM), 1000);

  assert.equal(value.type, 'resumed');
  for (const url of [HOME, NODE_B]) {
    const [resume] = net.received(url, 'resume');
    assert.deepEqual({ token: resume.token, snapshot: resume.snapshot, room: resume.room },
      { token: 'p1.secret', snapshot: true, room: ROOM }, `the resume sent to ${url}`);
  }
  assert.equal(signaling.lastSeq, 7);
  assert.equal(signaling.url, NODE_B);
});

// Joins ROOM through HOME, which sends the page to node B; then B's socket drops.
async function inCallOnNodeB() {
  net.node(HOME, (m, s) => s.deliver(reply.elsewhere(m, 'http://node-b:8081')));
  net.node(NODE_B, (m, s) => s.deliver(reply.joined(m)));
  const signaling = await connected();
  await within(signaling.enter(joinMessage), 1000);
  return signaling;
}

test('a live resume names its room', async () => {
  const signaling = await inCallOnNodeB();
  net.node(NODE_B, (m, s) => s.deliver(m.type === 'resume' ? reply.resumed({ ...m, room: ROOM }) : reply.joined(m)));
  const resumed = events(signaling, 'resumed');
  for (const s of net.sockets.filter((x) => x.url === NODE_B)) s.drop();

  await within(new Promise((resolve) => signaling.on('resumed', resolve)), 5000);

  assert.equal(resumed.length, 1);
  const [resume] = net.received(NODE_B, 'resume');
  assert.deepEqual({ token: resume.token, lastSeq: resume.lastSeq, room: resume.room },
    { token: 'p1.secret', lastSeq: 0, room: ROOM });
  assert.equal(signaling.url, NODE_B, 'back on the node it was on');
});

test('after a drop, reconnect attempts alternate between the node it was on and home, and home at once when that node is gone', async () => {
  const signaling = await inCallOnNodeB();
  // Node B dies; home cannot place the room for a while either (its lease has not run out).
  net.kill(NODE_B);
  net.node(HOME, (m, s) => s.deliver(reply.moving(m, 1000)));
  net.nodes.delete(HOME); // and home is unreachable at first too
  const opensBefore = net.opened().length;
  const attempts = events(signaling, 'reconnecting');

  await pass(8000);

  const tried = net.opened().slice(opensBefore);
  assert.ok(attempts.length >= 3, `several attempts (${tried.join(', ')})`);
  // Odd attempts ask node B first and, finding it gone, home at once; even ones ask home.
  assert.equal(tried[0], NODE_B);
  tried.forEach((url, i) => {
    assert.ok(url === NODE_B || url === HOME, `asked ${url}`);
    if (url === NODE_B && i + 1 < tried.length) assert.equal(tried[i + 1], HOME, `home right after node B (${tried.join(', ')})`);
  });
  assert.ok(tried.filter((url) => url === NODE_B).length >= 2, `node B asked again later (${tried.join(', ')})`);
  assert.equal(signaling.reconnecting, true);

  // Home comes back; the room was restored on node C: home sends the resume there.
  net.node(HOME, (m, s) => s.deliver(reply.elsewhere(m, 'http://node-c:8082')));
  net.node(NODE_C, (m, s) => s.deliver(reply.resumed(m, { snapshot: { type: 'joined', room: ROOM }, lastSeq: 3 })));
  const resumed = new Promise((resolve) => signaling.on('resumed', resolve));
  const { value } = await within(resumed, 20_000);

  assert.equal(value.type, 'resumed');
  assert.equal(signaling.url, NODE_C, 'on the node that restored the room');
  assert.equal(signaling.reconnecting, false);
  const [resumeAtC] = net.received(NODE_C, 'resume');
  assert.equal(resumeAtC.room, ROOM);
  // The next drop asks node C first, then home, never the dead node B again.
  const opensNow = net.opened().length;
  net.kill(NODE_C);
  await pass(3000);
  const next = net.opened().slice(opensNow);
  assert.deepEqual(next.slice(0, 2), [NODE_C, HOME]);
});

test('a resume answered room-moving waits and asks again, saying so', async () => {
  const signaling = await inCallOnNodeB();
  let asked = 0;
  net.node(NODE_B, (m, s) => s.deliver(m.type !== 'resume' ? reply.joined(m)
    : ++asked < 3 ? reply.moving(m, 1000) : reply.resumed(m)));
  const moving = events(signaling, 'moving');
  for (const s of net.sockets.filter((x) => x.url === NODE_B)) s.drop();

  const { value } = await within(new Promise((resolve) => signaling.on('resumed', resolve)), 10_000);

  assert.equal(value.type, 'resumed');
  assert.equal(asked, 3);
  assert.deepEqual(moving.map((m) => m.reconnecting), [true, true]);
});

test('a resume sent on to a node that just died asks home again on the same socket, until the room is restored', async () => {
  const signaling = await inCallOnNodeB();
  // Node B dies but is still listed for a while: home sends the resume to it, then (its lease
  // gone) takes the room over itself.
  let asked = 0;
  net.node(HOME, (m, s) => s.deliver(++asked === 1 ? reply.elsewhere(m, 'http://node-b:8081')
    : reply.resumed(m, { snapshot: { type: 'joined', room: ROOM }, lastSeq: 3 })));
  const moving = events(signaling, 'moving');
  const opensBefore = net.opened().length;
  net.kill(NODE_B);

  const { value } = await within(new Promise((resolve) => signaling.on('resumed', resolve)), 10_000);

  assert.equal(value.type, 'resumed');
  assert.equal(asked, 2);
  assert.deepEqual(net.opened().slice(opensBefore), [NODE_B, HOME, NODE_B],
    'node B, home at once, the redirect to node B, then home again on its open socket');
  assert.equal(moving.length, 1);
  assert.equal(signaling.url, HOME);
});

test('a resume whose room stays moving gives up with the error, for the person to read', async () => {
  const signaling = await inCallOnNodeB();
  net.node(NODE_B, (m, s) => s.deliver(m.type === 'resume' ? reply.moving(m, 1000) : reply.joined(m)));
  for (const s of net.sockets.filter((x) => x.url === NODE_B)) s.drop();

  const { value: closed, tookMs } = await within(new Promise((resolve) => signaling.on('close', resolve)), 60_000);

  assert.equal(closed.gaveUp, true);
  assert.equal(closed.error?.code, 'room-moving');
  assert.ok(tookMs <= MOVING_GIVE_UP_MS + 3000, `gave up after ${tookMs} ms`);
});

test('a resume redirected in circles gives up with room-elsewhere', async () => {
  const signaling = await inCallOnNodeB();
  net.node(NODE_B, (m, s) => s.deliver(reply.elsewhere(m, 'http://node-c:8082')));
  net.node(NODE_C, (m, s) => s.deliver(reply.elsewhere(m, 'http://node-b:8081')));
  for (const s of net.sockets.filter((x) => x.url === NODE_B)) s.drop();

  const { value: closed } = await within(new Promise((resolve) => signaling.on('close', resolve)), 10_000);

  assert.equal(closed.gaveUp, true);
  assert.equal(closed.error?.code, 'room-elsewhere');
});
