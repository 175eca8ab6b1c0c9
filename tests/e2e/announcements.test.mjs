// What a screen reader hears as the room changes: one polite live region outside every panel
// says who joined, left, was let in, is reconnecting or back, each once; a knock is a visible
// notice with the answer in it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { pollUntil } from './lib/poll.mjs';

const env = useParley({ serverArgs: ['--test-hooks'] });

const heard = (person) => person.page.evaluate(() =>
  [...document.querySelectorAll('[data-testid="announcer"] p')].map((p) => p.textContent));

test('joins, knocks, admissions, leaves and reconnections are said once, from outside the panels', { timeout: 120_000 }, async () => {
  const room = uniqueRoom('said');
  const hana = await env.openAsHost(room, 'Hana', { admission: 'knock' });
  const region = hana.byTestId('announcer');
  assert.equal(await region.getAttribute('aria-live'), 'polite');
  assert.equal(await region.evaluate((el) => Boolean(el.closest('[hidden], .call__panel, main'))), false,
    'the live region is outside every panel');

  // A knock: a notice Hana sees whatever is open, and can answer in place.
  const gus = await env.open(`/r/${room}?name=Gus`, 'Gus');
  await gus.pressJoin();
  const knock = hana.byTestId('knock-notice');
  await pollUntil(() => knock.count(), (n) => n === 1, { what: "Hana's notice that Gus knocks" });
  assert.match(await knock.innerText(), /Gus is waiting to join/);
  assert.equal(await knock.getAttribute('role'), 'status');
  await knock.getByTestId('knock-admit').click();

  await pollUntil(() => gus.client(), (c) => c?.state === 'in-call', { what: 'Gus to be let in' });
  gus.id = (await gus.client()).selfId;
  await pollUntil(() => heard(gus), (lines) => lines.includes('You are in the meeting.'), { what: 'Gus to hear he is in' });
  await pollUntil(() => heard(hana), (lines) => lines.includes('Gus joined.'), { what: 'Hana to hear Gus joined' });

  // Gus's connection drops and comes back: both hear it, by name.
  const response = await fetch(`${env.server.origin}/test/drop?room=${room}&participant=${gus.id}`, { method: 'POST' });
  assert.equal(response.status, 200);
  await pollUntil(() => heard(hana), (lines) => lines.includes('Gus is reconnecting.'), { what: 'Hana to hear Gus reconnecting' });
  await pollUntil(() => heard(gus), (lines) => lines.includes('Connected to the server again.'), { what: 'Gus to hear he is back' });
  await pollUntil(() => heard(hana), (lines) => lines.includes('Gus is back.'), { what: 'Hana to hear Gus is back' });

  await gus.byTestId('leave').click();
  await pollUntil(() => heard(hana), (lines) => lines.includes('Gus left.'), { what: 'Hana to hear Gus left' });
  const lines = await heard(hana);
  assert.equal(lines.filter((l) => l === 'Gus joined.').length, 1, `said once: ${lines.join(' | ')}`);
});
