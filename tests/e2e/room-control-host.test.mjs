// The host's controls on a tile and the raised-hands order, as people use them: the badges
// every page shows, the tile menu and the accessible kick dialog.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { pollUntil } from './lib/poll.mjs';

const env = useParley();

const tileOf = (viewer, person) => viewer.page.locator(`[data-testid="tile"][data-kind="camera"][data-participant="${person.id}"]`);
const visibleText = (locator) => locator.evaluateAll((all) => all.filter((el) => !el.hidden).map((el) => el.textContent.trim()));

test('hands show in order; the host removes a guest with a reason, then ends the meeting', { timeout: 120_000 }, async () => {
  const room = uniqueRoom('host');
  const hana = await env.join(room, 'Hana');
  const gil = await env.join(room, 'Gil');
  const ivy = await env.join(room, 'Ivy');

  assert.equal(await gil.page.evaluate(() => window.parley.role), 'guest');
  assert.equal(await gil.byTestId('tile-menu').count(), 0, 'guests get no host menu');
  assert.equal(await gil.byTestId('lock-room').isVisible(), false, 'guests get no room controls');
  assert.equal(await gil.byTestId('host-toggle').isVisible(), false, 'nor the Host tools button');

  await ivy.press('toggle-hand');
  await gil.press('toggle-hand');
  assert.equal(await ivy.byTestId('toggle-hand').getAttribute('aria-pressed'), 'true');
  for (const viewer of [hana, gil, ivy]) {
    await pollUntil(async () => [await visibleText(tileOf(viewer, ivy).getByTestId('hand-badge')),
      await visibleText(tileOf(viewer, gil).getByTestId('hand-badge'))],
    ([ivys, gils]) => /1/.test(ivys[0] ?? '') && /2/.test(gils[0] ?? ''),
    { what: `${viewer.label} to see Ivy's hand first and Gil's second` });
  }

  // Each tile's menu is named for its person, and the name contains the visible label.
  const menu = tileOf(hana, gil).getByTestId('tile-menu');
  assert.equal(await menu.getAttribute('aria-label'), `Host actions for ${gil.name}`);
  assert.equal(await menu.innerText(), 'Host actions');
  // It opens Gil's actions in the People panel, all of them visible, focus on the first.
  await menu.click();
  const row = hana.personRow(gil);
  await pollUntil(() => hana.page.evaluate(() => document.activeElement?.dataset.testid), (id) => id === 'mute-participant',
    { what: "focus on the first of Hana's actions for Gil" });
  assert.equal(await row.getByTestId('person-menu').getAttribute('aria-label'), `Host actions for ${gil.name}`);
  for (const action of ['mute-participant', 'request-unmute', 'kick', 'make-host']) {
    assert.ok(await row.getByTestId(action).isVisible(), `${action} is visible`);
  }
  await row.getByTestId('kick').click();
  const dialog = hana.byTestId('kick-dialog');
  await dialog.getByLabel(/Reason/).fill('Off topic');
  await dialog.getByRole('button', { name: 'Remove' }).click();

  const gilSees = () => gil.page.evaluate(() => ({
    state: window.parley.state,
    notices: [...document.querySelectorAll('[data-testid="notice"]')].map((n) => n.innerText),
  }));
  const seen = await pollUntil(gilSees, (s) => s.state === 'left' && s.notices.some((t) => /removed you/.test(t) && /Off topic/.test(t)),
    { what: 'Gil to be out of the call, told why' });
  assert.ok(seen);
  for (const viewer of [hana, ivy]) {
    await pollUntil(() => tileOf(viewer, gil).count(), (n) => n === 0, { what: `Gil's tile to leave ${viewer.label}'s page` });
  }

  await hana.openPanel('host');
  await hana.press('end-session');
  await hana.byTestId('end-dialog').getByRole('button', { name: 'End for everyone' }).click();
  const ivySees = () => ivy.page.evaluate(() => ({
    state: window.parley.state,
    notices: [...document.querySelectorAll('[data-testid="notice"]')].map((n) => n.innerText),
  }));
  await pollUntil(ivySees, (s) => s.state === 'left' && s.notices.some((t) => /host ended the meeting/i.test(t)),
    { what: 'Ivy to be told the host ended the meeting' });
});
