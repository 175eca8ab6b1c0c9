// Finding the room's node (web/js/cluster-follow.js): where a room-elsewhere sends the page,
// how many redirects in a row it follows, how long it waits for a moving room and when it gives
// up, and which node each reconnect attempt asks.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MAX_HOPS, MOVING_GIVE_UP_MS, RoomFollow, nodeSignalingUrl, reconnectTarget } from '../../web/js/cluster-follow.js';
import { SignalingError } from '../../web/js/signaling-error.js';

const elsewhere = (url) => Object.assign(new SignalingError('room-elsewhere'), { url });
const moving = (retryAfterMs) => new SignalingError('room-moving', 'moving', undefined, retryAfterMs);

test("a node's public URL becomes its signaling URL: http -> ws, https -> wss, path /ws", () => {
  assert.equal(nodeSignalingUrl('http://127.0.0.1:8081'), 'ws://127.0.0.1:8081/ws');
  assert.equal(nodeSignalingUrl('https://node-b.example.org'), 'wss://node-b.example.org/ws');
  assert.equal(nodeSignalingUrl('https://node-b.example.org:8443/some/path?x=1'), 'wss://node-b.example.org:8443/ws');
  for (const bad of ['ftp://node-b.example.org', 'javascript:alert(1)', 'node-b', '', undefined, null, 42]) {
    assert.equal(nodeSignalingUrl(bad), null, `${String(bad)} is no node to go to`);
  }
});

test('a redirect is followed, at most MAX_HOPS in a row, then the error is for the person', () => {
  const follow = new RoomFollow();
  for (let hop = 1; hop <= MAX_HOPS; hop++) {
    assert.deepEqual(follow.next(elsewhere(`http://n${hop}:8080`)), { follow: `ws://n${hop}:8080/ws` });
    assert.equal(follow.hops, hop);
  }
  const error = elsewhere('http://n9:80');
  assert.deepEqual(follow.next(error), { fail: error });
});

test('a redirect to nowhere a page can go is not followed', () => {
  const error = elsewhere('file:///etc/passwd');
  assert.deepEqual(new RoomFollow().next(error), { fail: error });
  const noUrl = new SignalingError('room-elsewhere');
  assert.deepEqual(new RoomFollow().next(noUrl), { fail: noUrl });
});

test('errors that are not about where the room is are left to the caller', () => {
  for (const code of ['room-full', 'resume-failed', 'closed', 'wrong-password']) {
    assert.equal(new RoomFollow().next(new SignalingError(code)), null, code);
  }
  assert.equal(new RoomFollow().next(undefined), null);
});

test('a moving room is asked again after retryAfterMs plus up to a fifth more at random', () => {
  const low = new RoomFollow({ now: () => 0, random: () => 0 });
  assert.deepEqual(low.next(moving(1000)), { wait: 1000 });
  const high = new RoomFollow({ now: () => 0, random: () => 1 });
  assert.deepEqual(high.next(moving(1000)), { wait: 1200 });
  // Nonsense waits are bounded: none or a negative one waits a second, a huge one 5 s.
  assert.deepEqual(new RoomFollow({ random: () => 0 }).next(moving(undefined)), { wait: 1000 });
  assert.deepEqual(new RoomFollow({ random: () => 0 }).next(moving(-5)), { wait: 1000 });
  assert.deepEqual(new RoomFollow({ random: () => 0 }).next(moving(3_600_000)), { wait: 5000 });
  assert.deepEqual(new RoomFollow({ random: () => 0 }).next(moving(1)), { wait: 100 });
});

test('a room moving for longer than MOVING_GIVE_UP_MS is given up on', () => {
  let now = 5000;
  const follow = new RoomFollow({ now: () => now, random: () => 0 });
  let waited = 0;
  for (;;) {
    const error = moving(1000);
    const step = follow.next(error);
    if (step.fail) {
      assert.equal(step.fail, error);
      break;
    }
    now += step.wait;
    waited += step.wait;
  }
  assert.ok(waited <= MOVING_GIVE_UP_MS && waited > MOVING_GIVE_UP_MS - 1000, `gave up after ${waited} ms of waiting`);
});

test('a node that cannot be reached is asked about again within the same time limit', () => {
  let now = 0;
  const follow = new RoomFollow({ now: () => now, random: () => 0 });
  const unreachable = new SignalingError('connect-failed');
  assert.deepEqual(follow.unreachable(unreachable), { wait: 1000 });
  now = MOVING_GIVE_UP_MS;
  assert.deepEqual(follow.unreachable(unreachable), { fail: unreachable });
});

test('after a wait the room may be sent on again: the hop count starts over', () => {
  const follow = new RoomFollow({ now: () => 0, random: () => 0 });
  for (let hop = 1; hop <= MAX_HOPS; hop++) follow.next(elsewhere('http://a:1'));
  assert.deepEqual(follow.next(moving(500)), { wait: 500 });
  assert.equal(follow.hops, 0);
  assert.deepEqual(follow.next(elsewhere('http://b:1')), { follow: 'ws://b:1/ws' });
});

test('reconnect attempts alternate between the node the page was on and its home', () => {
  const where = { current: 'ws://b/ws', home: 'ws://a/ws' };
  assert.deepEqual([1, 2, 3, 4, 5].map((n) => reconnectTarget(n, where)),
    ['ws://b/ws', 'ws://a/ws', 'ws://b/ws', 'ws://a/ws', 'ws://b/ws']);
  assert.equal(reconnectTarget(2, { current: 'ws://a/ws', home: 'ws://a/ws' }), 'ws://a/ws', 'on its home node: always there');
  assert.equal(reconnectTarget(1, { current: null, home: 'ws://a/ws' }), 'ws://a/ws');
  assert.equal(reconnectTarget(2, { current: 'ws://b/ws', home: null }), 'ws://b/ws');
});
