// Hostile names render as text; a full room says so instead of half-joining.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { pollUntil } from './lib/poll.mjs';
import { cameraTile, expectTiles } from './lib/tiles.mjs';

const env = useParley();

const HOSTILE_NAME = '<img src=x onerror="window.__xss=1">';

const injected = (person) => person.page.evaluate(() => ({
  xss: window.__xss,
  images: document.querySelectorAll('img[src="x"]').length,
}));

test('a name full of HTML shows literally and runs nothing', { timeout: 90_000 }, async () => {
  const room = uniqueRoom('xss');
  const bob = await env.join(room, 'Bob');
  const mallory = await env.join(room, HOSTILE_NAME, { label: 'Mallory' });
  for (const viewer of [bob, mallory]) {
    await expectTiles(viewer, [cameraTile(bob, viewer), cameraTile(mallory, viewer)]);
    assert.deepEqual(await injected(viewer), { xss: undefined, images: 0 }, `${viewer.label}'s page`);
  }
});

test('joining a full room puts you in line, saying the room is full, with no call view', { timeout: 90_000 }, async () => {
  const small = await env.startServer(['--max-room-size', '2']);
  const room = uniqueRoom('full');
  const alice = await env.join(room, 'Alice', { server: small });
  const bob = await env.join(room, 'Bob', { server: small });

  const carol = await env.open(`/r/${room}?name=Carol`, 'Carol', { server: small });
  await carol.pressJoin();
  // The waiting screen names the reason (it is said once, through the page's live region: the
  // accessibility test checks that).
  const reason = () => carol.page.evaluate(() => document.querySelector('[data-testid="queue-reason"]')?.innerText ?? '');
  await pollUntil(reason, (text) => /room is full/i.test(text),
    { what: "Carol's waiting screen saying the room is full" });
  assert.match(await carol.byTestId('queue-place').innerText(), /number 1 of 1/);
  assert.equal(await carol.byTestId('call').isVisible(), false, 'no call view for Carol');
  assert.notEqual((await carol.client())?.state, 'in-call');

  for (const viewer of [alice, bob]) {
    await expectTiles(viewer, [cameraTile(alice, viewer), cameraTile(bob, viewer)]);
  }
});
