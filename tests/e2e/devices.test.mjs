// Devices can be changed in the call, without leaving it, and the choice is remembered.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { expectMediaFrom } from './lib/media.mjs';
import { pollUntil } from './lib/poll.mjs';

const env = useParley();

// The label of the microphone track Alice's connection to `peerId` sends now.
const sentMicrophone = (person, peerId) => person.page.evaluate((id) => {
  const pc = window.parley.peers.get(id);
  return pc?.getSenders().find((s) => s.track?.kind === 'audio')?.track.label ?? null;
}, peerId);

test('microphone and speaker are switched in the call, and kept for next time', { timeout: 120_000 }, async () => {
  const room = uniqueRoom('devices');
  const alice = await env.join(room, 'Alice');
  const bob = await env.join(room, 'Bob');
  await expectMediaFrom(bob, alice);
  const before = await sentMicrophone(alice, bob.id);

  const open = alice.byTestId('devices-toggle');
  assert.equal(await open.getAttribute('aria-expanded'), 'false');
  await open.click();
  assert.equal(await open.getAttribute('aria-expanded'), 'true');
  const mic = alice.page.getByRole('combobox', { name: 'Microphone', exact: true });
  await pollUntil(() => mic.locator('option').count(), (n) => n > 1, { what: 'the microphones to be listed' });
  const other = (await mic.locator('option').allInnerTexts()).find((label) => label !== before);
  assert.ok(other, `another microphone than ${before}`);
  await mic.selectOption({ label: other });

  await pollUntil(() => sentMicrophone(alice, bob.id), (label) => label === other,
    { what: `Alice's connection to send ${other}` });
  await expectMediaFrom(bob, alice); // sound still arrives, from the new microphone
  assert.equal(await alice.page.evaluate(() => window.parley.peers.size), 1);

  const speaker = alice.page.getByRole('combobox', { name: 'Speaker', exact: true });
  const outputs = await speaker.locator('option').allInnerTexts();
  if (outputs.length > 1) {
    await speaker.selectOption({ label: outputs.at(-1) });
    const wanted = await speaker.inputValue();
    await pollUntil(() => alice.page.evaluate(() => [...document.querySelectorAll('[data-testid="call"] audio, [data-testid="call"] video')]
      .filter((e) => !e.muted).map((e) => e.sinkId)), (ids) => ids.length > 0 && ids.every((id) => id === wanted),
    { what: "Alice's remote media to play on the chosen speaker" });
  }

  // Remembered: the next pre-join screen in this browser starts with the same microphone.
  await alice.goto(`/r/${uniqueRoom('next')}?name=Alice`);
  const chosen = alice.page.getByTestId('device-audioinput');
  await pollUntil(() => chosen.locator('option:checked').innerText().catch(() => ''), (label) => label === other,
    { what: 'the next pre-join screen to choose the same microphone' });
});
