// Sharing a screen gives the others a screen tile fed by a new 1280x720 video stream.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { expectMediaFrom, expectNewVideoFrom, inboundVideoIds } from './lib/media.mjs';
import { pollUntil } from './lib/poll.mjs';
import { cameraTile, expectTiles } from './lib/tiles.mjs';

const env = useParley();

// Chromium's fake screen (--use-fake-ui-for-media-stream) is 1280x720.
const FAKE_SCREEN = { width: 1280, height: 720 };

test('a shared screen arrives as its own tile and stream, and goes when stopped', { timeout: 90_000 }, async () => {
  const room = uniqueRoom('screen');
  const alice = await env.join(room, 'Alice');
  const bob = await env.join(room, 'Bob');
  await expectMediaFrom(bob, alice);
  const cameraStreams = await inboundVideoIds(bob, alice);
  assert.equal(await alice.isOn('toggle-screen'), false, 'screen share starts off');

  await alice.press('toggle-screen');
  await pollUntil(() => alice.isOn('toggle-screen'), Boolean, { what: "Alice's toggle-screen to be pressed" });
  const screenTile = { participant: alice.id, kind: 'screen', self: false, name: alice.name };
  await expectTiles(bob, [cameraTile(bob, bob), cameraTile(alice, bob), screenTile]);
  await expectNewVideoFrom(bob, alice, cameraStreams, FAKE_SCREEN);

  await alice.press('toggle-screen');
  await pollUntil(() => alice.isOn('toggle-screen'), (on) => !on, { what: "Alice's toggle-screen to be released" });
  await expectTiles(bob, [cameraTile(bob, bob), cameraTile(alice, bob)]);
  await expectMediaFrom(bob, alice);
});
