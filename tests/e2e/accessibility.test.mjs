// Every screen but the call's, as people who zoom, use a screen reader or a keyboard meet it
// (issue #23): in English and Russian, at a desktop and a phone width, axe-core finds no serious
// or critical WCAG 2.1 A/AA or best-practice problem and nothing scrolls sideways; at 320 CSS px
// and at 200% zoom (a 1280x800 screen is 640x400 CSS px, a 390x844 phone 195x422) nothing
// scrolls sideways and Tab reaches every control, each in
// view and uncovered; the skip link and the language switch come first on a fresh page; a new
// screen moves focus to its named heading; and the waiting line says each place once.
//
// PARLEY_A11Y_SHOTS=<dir> also saves a screenshot of each screen per language at every width.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import {
  expectAccessible, expectFieldBoundaries, expectNoHorizontalScroll, expectStopsVisible, focused, liveRegionLog,
  startLiveRegionLog, tabbableElements, walkFocus,
} from './lib/a11y.mjs';
import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { pollUntil } from './lib/poll.mjs';

const env = useParley();

const DESKTOP = { width: 1280, height: 800 };
const PHONE = { width: 390, height: 844 };
const NARROW = { width: 320, height: 640 };
const ZOOMED = { width: 640, height: 400 }; // 1280x800 at 200% zoom, in CSS px
const PHONE_ZOOMED = { width: 195, height: 422 }; // 390x844 at 200% zoom
const LANGUAGES = ['en', 'ru'];

const SHOTS = process.env.PARLEY_A11Y_SHOTS ?? null;
if (SHOTS) mkdirSync(SHOTS, { recursive: true });

const sizeName = ({ width, height }) => `${width}x${height}`;

// The language chosen the way a person does: the switch in the top bar.
async function useLanguage(person, lang) {
  await person.byTestId('lang').selectOption(lang);
  await pollUntil(() => person.page.evaluate(() => document.documentElement.lang), (l) => l === lang,
    { what: `${person.label}'s page to switch to ${lang}` });
}

// One stop of a keyboard walk, or one element Tab should reach, as a comparable string.
const stopKey = (s) => `${s.role ?? s.tag} "${s.name}"${s.testid ? ` [${s.testid}]` : ''}`;

// At 320 px and at 200% zoom (of a laptop and of a phone): no sideways scroll, and Tab from the
// top of the page reaches every control, in document order, each one inside the viewport,
// uncovered, named and showing focus. Returns the walk's stops (of the last size).
async function expectReflowAndKeyboard(person, what) {
  let stops;
  for (const size of [NARROW, ZOOMED, PHONE_ZOOMED]) {
    await person.page.setViewportSize(size);
    const label = `${what}, ${await lang(person)}, ${sizeName(size)}`;
    await expectNoHorizontalScroll(person.page, label);
    if (SHOTS) await person.page.screenshot({ path: path.join(SHOTS, `${what}-${await lang(person)}-${size.width}.png`), fullPage: true });
    stops = await walkFocus(person.page, { fromTop: true });
    expectStopsVisible(stops, label);
    assert.deepEqual(stops.map(stopKey), (await tabbableElements(person.page)).map(stopKey),
      `${label}: Tab must reach every control, in order`);
    assert.equal(stops[0]?.id, 'skip-link', `${label}: the skip link comes first`);
    assert.equal(stops.findIndex((s) => s.id === 'lang-select'), 2, `${label}: the language switch is the third stop, after the home link`);
  }
  return stops;
}

const lang = (person) => person.page.evaluate(() => document.documentElement.lang);

// The whole check of one screen, in both languages: axe and reflow at the desktop and phone
// widths (screenshots there), reflow and the keyboard at 320 px and 200% zoom. Ends in English.
async function checkScreen(person, what) {
  for (const language of LANGUAGES) {
    await useLanguage(person, language);
    for (const size of [DESKTOP, PHONE]) {
      await person.page.setViewportSize(size);
      const label = `${what}, ${language}, ${sizeName(size)}`;
      await expectAccessible(person.page, label);
      await expectNoHorizontalScroll(person.page, label);
      if (SHOTS) await person.page.screenshot({ path: path.join(SHOTS, `${what}-${language}-${size.width}.png`), fullPage: true });
    }
    await expectReflowAndKeyboard(person, what);
  }
  await useLanguage(person, 'en');
  await person.page.setViewportSize(DESKTOP);
}

// Focus is on the screen's heading, announced with its name.
async function expectFocusOnHeading(person, name, what) {
  const now = await pollUntil(() => focused(person.page), (f) => f?.role === 'heading',
    { what: `focus on ${what}'s heading` }).catch(async () => focused(person.page));
  assert.equal(now?.role, 'heading', `${what}: focus is on ${JSON.stringify(now)}, not a heading`);
  assert.match(now.name, name, `${what}: the focused heading's name`);
}

test('home, an invalid link and pre-join: axe, reflow and keyboard, in English and Russian', { timeout: 120_000 }, async () => {
  const visitor = await env.open('/', 'Visitor');
  const { page } = visitor;

  // A fresh page: Tab starts at the skip link, then the home link and the language switch;
  // the skip link leads into the main content.
  const firstStops = await walkFocus(page, { max: 3 });
  assert.deepEqual(firstStops.map((s) => `${s.id} "${s.name}"`), ['skip-link "Skip to content"', 'brand-link "Parley"', 'lang-select "Language"'],
    'a fresh page: skip link, home link, language switch');
  await page.evaluate(() => document.getElementById('skip-link').focus());
  await page.keyboard.press('Enter');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', 'the skip link moves focus to the main content');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.closest('main') !== null), true, 'Tab goes on inside the main content');

  await checkScreen(visitor, 'home');
  // Axe checks the contrast of text; the edges of fields (WCAG 1.4.11) are checked here.
  const homeFields = await expectFieldBoundaries(page, 'home');
  assert.deepEqual(homeFields.map((f) => f.field), ['select#lang-select', 'input#room-input'], 'the fields measured on home');

  // A room id that cannot be: a message screen.
  await visitor.goto('/r/a');
  await visitor.byTestId('invalid-room').waitFor();
  await checkScreen(visitor, 'invalid-room');

  // Home again through the link in the top bar: focus goes to its heading.
  await page.getByRole('link', { name: 'Parley' }).click();
  await expectFocusOnHeading(visitor, /^Parley$/, 'home');

  // To the pre-join screen by keyboard: its heading takes focus, Tab goes on into the screen.
  await visitor.byTestId('create-room').focus();
  await page.keyboard.press('Enter');
  await expectFocusOnHeading(visitor, /^Ready to join\?$/, 'pre-join');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => Boolean(document.activeElement?.closest('.prejoin'))), true,
    'after the heading, Tab reaches the pre-join controls');

  // Ready: the camera plays and the device lists are filled, so every control is there.
  await pollUntil(() => visitor.byTestId('device-videoinput').isVisible(), Boolean, { what: 'the camera list' });
  await pollUntil(() => visitor.byTestId('prejoin-cam').isEnabled(), Boolean, { what: 'the camera toggle' });
  await page.getByText('Room settings', { exact: true }).click(); // the longest form: settings open
  await checkScreen(visitor, 'prejoin');
  const prejoinFields = await expectFieldBoundaries(page, 'prejoin');
  assert.ok(prejoinFields.length >= 7, `the pre-join fields measured: ${JSON.stringify(prejoinFields)}`);

  // The choice is kept: reloaded, the page comes up in Russian from the start.
  await useLanguage(visitor, 'ru');
  await page.reload();
  await visitor.byTestId('join').waitFor();
  assert.equal(await lang(visitor), 'ru', 'the stored language wins at load');
  assert.equal(await page.locator('#skip-link').textContent(), 'Перейти к содержимому');
  assert.equal(await page.locator('h1').textContent(), 'Готовы войти?');
});

test('waiting in line, let in, left and declined: focus on named headings, each place said once', { timeout: 150_000 }, async () => {
  const room = uniqueRoom('a11y');
  const host = await env.openAsHost(room, 'Hana', { admission: 'knock' });

  // Gleb waits first, in Russian; Gwen second, in English.
  const gleb = await env.open(`/r/${room}?name=Gleb`, 'Gleb');
  await useLanguage(gleb, 'ru');
  await startLiveRegionLog(gleb.page);
  await gleb.byTestId('join').click();
  await gleb.byTestId('waiting').waitFor();
  await expectFocusOnHeading(gleb, /^Ждём ведущего$/, "Gleb's waiting screen");

  const gwen = await env.open(`/r/${room}?name=Gwen`, 'Gwen');
  await startLiveRegionLog(gwen.page);
  await gwen.pressJoin();
  await gwen.byTestId('waiting').waitFor();
  await expectFocusOnHeading(gwen, /^Waiting for the host$/, "Gwen's waiting screen");
  await pollUntil(() => gwen.byTestId('queue-place').innerText(), (t) => /number 2 of 2/.test(t), { what: 'Gwen to be number 2 of 2' });
  await pollUntil(() => gleb.byTestId('queue-place').innerText(), (t) => /1-й из 2/.test(t), { what: 'Gleb to be number 1 of 2' });

  await checkScreen(gwen, 'waiting');

  // Hana lets Gleb in: focus lands on the call screen's heading; Gwen moves up.
  const line = host.byTestId('queue-panel').getByTestId('queue-entry');
  await host.openPanel('people');
  await line.filter({ hasText: 'Gleb' }).getByTestId('admit').click();
  await pollUntil(() => gleb.client(), (c) => c?.state === 'in-call', { what: 'Gleb to be let in' });
  await expectFocusOnHeading(gleb, new RegExp(`^Звонок в комнате ${room}$`), "Gleb's call screen");
  await pollUntil(() => gwen.byTestId('queue-place').innerText(), (t) => /number 1 of 1/.test(t), { what: 'Gwen to move up' });

  // What the live regions said: every place once, in the language of its moment.
  const said = (lines, pattern) => lines.filter((l) => pattern.test(l.text)).length;
  const gwenHeard = await pollUntil(() => liveRegionLog(gwen.page), (lines) => said(lines, /number 1 of 1/) > 0,
    { what: 'Gwen to hear her new place' });
  const gwenLines = gwenHeard.map((l) => l.text).join(' | ');
  assert.equal(said(gwenHeard, /number 2 of 2/), 1, `Gwen hears "number 2 of 2" once: ${gwenLines}`);
  assert.equal(said(gwenHeard, /number 1 of 1/), 1, `Gwen hears "number 1 of 1" once: ${gwenLines}`);
  assert.equal(said(gwenHeard, /Waiting for the host to let you in/), 1, `Gwen hears why she waits once: ${gwenLines}`);
  const glebHeard = await liveRegionLog(gleb.page);
  const glebLines = glebHeard.map((l) => l.text).join(' | ');
  assert.equal(said(glebHeard, /1-й из 1\b/), 1, `Gleb hears "1 of 1" once: ${glebLines}`);
  assert.equal(said(glebHeard, /1-й из 2\b/), 1, `Gleb hears "1 of 2" once: ${glebLines}`);
  assert.equal(said(glebHeard, /^Вы во встрече\.$/), 1, `Gleb hears he is in once: ${glebLines}`);

  // Gleb leaves: the screen after the call.
  await gleb.byTestId('leave').click();
  await gleb.byTestId('left').waitFor();
  await expectFocusOnHeading(gleb, /^Вы вышли из комнаты$/, "Gleb's screen after leaving");
  await checkScreen(gleb, 'left');

  // Hana declines Gwen: back at the pre-join screen, its heading focused, the reason in an alert.
  await line.filter({ hasText: 'Gwen' }).getByTestId('decline').click();
  await gwen.joinButton().waitFor();
  await pollUntil(() => gwen.page.getByRole('alert').allInnerTexts(), (t) => t.some((x) => /host didn't let you in/.test(x)),
    { what: 'Gwen to be told she was declined' });
  await expectFocusOnHeading(gwen, /^Ready to join\?$/, "Gwen's pre-join screen after being declined");
  await checkScreen(gwen, 'declined');
});
