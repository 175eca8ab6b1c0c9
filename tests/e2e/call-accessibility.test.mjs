// The call screen for everyone: axe-core finds no serious or critical problem with the stage,
// the speaker view and every side panel open, in English and Russian, on a laptop and a phone;
// nothing scrolls sideways at 320 px or at 200% zoom; a keyboard walk reaches every control,
// each stop visible and unobscured, with one Tab to the call controls.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { expectAccessible, expectNoHorizontalScroll, expectStopsVisible, walkFocus } from './lib/a11y.mjs';
import { pollUntil } from './lib/poll.mjs';

const env = useParley();
const PANELS = ['people', 'chat', 'host', 'devices', 'diagnostics'];

async function closePanels(person) {
  for (const name of PANELS) {
    if (await person.byTestId(`${name}-toggle`).getAttribute('aria-expanded') === 'true') await person.press(`${name}-close`);
  }
}

test('every state of the call screen passes axe, in both languages and at both widths, and reflows', { timeout: 240_000 }, async () => {
  const room = uniqueRoom('a11y-call');
  const ann = await env.join(room, 'Ann');
  const ben = await env.join(room, 'Ben');
  await ben.sendChat('Hello from Ben');
  const people = ann.byTestId('person');
  await pollUntil(() => people.count(), (n) => n === 2, { what: "Ann's People panel to list both" });

  for (const lang of ['en', 'ru']) {
    await ann.byTestId('lang').selectOption(lang);
    await pollUntil(() => ann.page.evaluate(() => document.documentElement.lang), (l) => l === lang, { what: `the page in ${lang}` });
    for (const [width, height] of [[1280, 800], [390, 844]]) {
      await ann.page.setViewportSize({ width, height });
      const at = `${lang}, ${width}x${height}`;
      await closePanels(ann);
      await expectAccessible(ann.page, `call, ${at}`);
      for (const name of PANELS) {
        await ann.openPanel(name);
        await expectAccessible(ann.page, `call with ${name} open, ${at}`);
      }
      await closePanels(ann);
      await ann.byTestId('speaker-view').click();
      await pollUntil(() => ann.byTestId('stage').getAttribute('data-view'), (v) => v === 'speaker', { what: 'the speaker view' });
      await expectAccessible(ann.page, `speaker view, ${at}`);
      await ann.byTestId('speaker-view').click();
    }
    // Reflow: a 320 px phone and a 1280x800 laptop at 200% zoom (640x400 CSS px).
    for (const [width, height] of [[320, 640], [640, 400]]) {
      await ann.page.setViewportSize({ width, height });
      const at = `${lang}, ${width}x${height}`;
      await closePanels(ann);
      await expectNoHorizontalScroll(ann.page, `call, ${at}`);
      for (const name of PANELS) {
        await ann.openPanel(name);
        await expectNoHorizontalScroll(ann.page, `call with ${name} open, ${at}`);
      }
    }
  }
});

test('by keyboard: one Tab stop to the controls, and every stop of the call screen seen and named', { timeout: 120_000 }, async () => {
  const room = uniqueRoom('keys-call');
  const ann = await env.join(room, 'Ann');
  await env.join(room, 'Ben');
  await ann.page.setViewportSize({ width: 1280, height: 800 });
  const stops = await walkFocus(ann.page, { fromTop: true, max: 40 });
  const ids = stops.map((s) => s.testid);
  // The page's skip link, then the top bar, then the call's own skip to its controls.
  const skip = ids.indexOf('skip-to-controls');
  assert.ok(skip >= 0 && skip <= 4, `the skip to the controls comes early (stop ${skip}: ${ids.join(', ')})`);
  for (const control of ['toggle-mic', 'toggle-cam', 'toggle-hand', 'people-toggle', 'chat-toggle', 'leave']) {
    assert.ok(ids.includes(control), `${control} is reached by Tab`);
  }
  expectStopsVisible(stops, 'call screen, en, 1280x800');

  // Pressing the skip puts focus on the microphone.
  await ann.page.evaluate(() => document.querySelector('[data-testid="skip-to-controls"]').focus());
  await ann.page.keyboard.press('Enter');
  assert.equal(await ann.page.evaluate(() => document.activeElement?.dataset.testid), 'toggle-mic');

  // In a panel: its heading first, then its own controls, each seen; Escape returns.
  await ann.openPanel('people');
  const inPanel = await walkFocus(ann.page, { max: 3 });
  expectStopsVisible(inPanel, 'People panel, en, 1280x800');
  assert.deepEqual(inPanel.map((s) => s.testid), ['people-close', 'person-menu', 'toggle-mic'],
    'from the heading: Close, Ben\'s host actions, then on to the controls');
  await ann.page.keyboard.press('Shift+Tab'); // back inside the panel, where Escape closes it
  await ann.page.keyboard.press('Escape');
  assert.equal(await ann.page.evaluate(() => document.activeElement?.dataset.testid), 'people-toggle');

  // On a phone, the sheet's stops too.
  await ann.page.setViewportSize({ width: 390, height: 844 });
  await ann.openPanel('chat');
  const onPhone = await walkFocus(ann.page, { max: 8 });
  expectStopsVisible(onPhone, 'Chat sheet, en, 390x844');
});
