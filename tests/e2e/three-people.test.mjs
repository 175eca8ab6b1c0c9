// A third person joins a running call; everyone exchanges media; one leaves, the rest go on.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { expectEveryoneHearsAndSeesEveryone } from './lib/media.mjs';
import { pollUntil } from './lib/poll.mjs';
import { cameraTile, expectGridArrangement, expectTiles } from './lib/tiles.mjs';

const env = useParley();

test('a third person joins a running call, then one leaves', { timeout: 150_000 }, async () => {
  const room = uniqueRoom('three');
  const alice = await env.join(room, 'Alice');
  const bob = await env.join(room, 'Bob');
  await expectEveryoneHearsAndSeesEveryone([alice, bob]);

  const carol = await env.join(room, 'Carol');
  const everyone = [alice, bob, carol];
  await expectEveryoneHearsAndSeesEveryone(everyone);
  for (const viewer of everyone) {
    await expectTiles(viewer, everyone.map((p) => cameraTile(p, viewer)));
    await expectGridArrangement(viewer, 3);
  }
  // The grid follows the space it has: a tall window stacks the three tiles.
  await alice.page.setViewportSize({ width: 480, height: 1400 });
  assert.deepEqual(await expectGridArrangement(alice, 3), { cols: 1, rows: 3 }, 'a tall window stacks the tiles');

  await bob.press('leave');
  await pollUntil(() => bob.client(), (c) => c?.state === 'left', { what: "Bob's page to be in state 'left'" });
  const remaining = [alice, carol];
  for (const viewer of remaining) {
    await expectTiles(viewer, remaining.map((p) => cameraTile(p, viewer)));
    await expectGridArrangement(viewer, 2);
    const peers = await pollUntil(() => viewer.peerIds(), (ids) => !ids.includes(bob.id),
      { what: `${viewer.label}'s window.parley.peers to drop Bob` });
    assert.deepEqual(peers, remaining.filter((p) => p !== viewer).map((p) => p.id));
  }
  await expectEveryoneHearsAndSeesEveryone(remaining);
});
