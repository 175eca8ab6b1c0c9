// Two people open the same room link and see and hear each other.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { expectMediaFrom } from './lib/media.mjs';
import { cameraTile, expectTiles } from './lib/tiles.mjs';

const env = useParley();

test('two people in a room see and hear each other', { timeout: 90_000 }, async () => {
  const room = uniqueRoom('call');
  const alice = await env.open(`/r/${room}?name=Alice`, 'Alice');
  const bob = await env.open(`/r/${room}?name=Bob`, 'Bob');
  for (const person of [alice, bob]) {
    assert.equal(await person.nameField().inputValue(), person.name, `${person.label}'s Name field`);
    await person.join();
  }
  assert.notEqual(alice.id, bob.id);

  await expectMediaFrom(bob, alice);
  await expectMediaFrom(alice, bob);

  for (const [viewer, other] of [[alice, bob], [bob, alice]]) {
    assert.deepEqual(await viewer.peerIds(), [other.id], `${viewer.label}'s window.parley.peers`);
    await expectTiles(viewer, [cameraTile(viewer, viewer), cameraTile(other, viewer)]);
    // Tiles show 16:9, so the camera is asked for 16:9: no rows are sent only to be cropped
    // away. (The encoder may scale down under load, but keeps the shape.)
    const video = (await viewer.inboundFrom(other.id)).inbound.find((s) => s.kind === 'video' && s.frameWidth > 0);
    assert.ok(video, `${viewer.label} decodes ${other.label}'s video`);
    assert.equal(video.frameWidth * 9, video.frameHeight * 16,
      `${other.label}'s camera as ${viewer.label} receives it: ${video.frameWidth}x${video.frameHeight}, not 16:9`);
  }
});
