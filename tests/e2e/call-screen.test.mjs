// The call screen as people use it: side panels one at a time from the control bar (beside the
// stage on a laptop, a sheet over it on a phone), the People panel, the speaker view, pinning,
// a screen share taking the stage, pages of tiles on a small screen, and a host admitting
// someone at 200% zoom.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { useParley, uniqueRoom } from './lib/fixture.mjs';
import { expectMediaFrom } from './lib/media.mjs';
import { expectNoHorizontalScroll } from './lib/a11y.mjs';
import { pollUntil } from './lib/poll.mjs';
import { expectGridArrangement } from './lib/tiles.mjs';

const env = useParley();

const focused = (person) => person.page.evaluate(() => {
  const el = document.activeElement;
  return { testid: el?.dataset.testid ?? null, tag: el?.tagName ?? null, text: el?.textContent ?? '' };
});

const box = (locator) => locator.boundingBox();
const overlaps = (a, b) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

// What is drawn at the centre of `locator` is it (or inside it): nothing covers it.
const unobscured = (locator) => locator.evaluate((el) => {
  const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return r.width > 0 && r.height > 0 && r.bottom <= innerHeight && r.right <= innerWidth && (hit === el || el.contains(hit));
});


// Where each tile is (data-place) and how big, by participant and kind.
const places = (person) => person.page.evaluate(() => Object.fromEntries([...document.querySelectorAll('[data-testid="tile"]')]
  .map((tile) => [`${tile.dataset.participant}/${tile.dataset.kind}`,
    { place: tile.dataset.place, width: Math.round(tile.getBoundingClientRect().width) }])));

// The decoded frames of the video in `person`'s tile for `subject` (it plays, wherever it is).
const framesShown = (person, subject, kind = 'camera') => person.page.evaluate(({ id, kind }) =>
  document.querySelector(`[data-testid="tile"][data-participant="${id}"][data-kind="${kind}"] video`)
    ?.getVideoPlaybackQuality().totalVideoFrames ?? 0, { id: subject.id, kind });

async function keepsPlaying(person, subject, kind = 'camera') {
  const before = await framesShown(person, subject, kind);
  await pollUntil(() => framesShown(person, subject, kind), (n) => n > before,
    { what: `${person.label}'s tile of ${subject.label} (${kind}) to show new frames` });
}

test('side panels open one at a time beside the stage, and as a sheet on a phone', { timeout: 120_000 }, async () => {
  const room = uniqueRoom('panels');
  const ann = await env.join(room, 'Ann');
  const ben = await env.join(room, 'Ben');
  await ann.page.setViewportSize({ width: 1280, height: 800 });

  // People: everyone, us first, the host marked, media in words; focus on the panel's heading.
  const people = await ann.openPanel('people');
  assert.equal(await ann.byTestId('people-toggle').getAttribute('aria-expanded'), 'true');
  assert.deepEqual(await focused(ann), { testid: null, tag: 'H2', text: 'People' });
  const rows = ann.byTestId('person');
  await pollUntil(() => rows.allInnerTexts(), (texts) => texts.length === 2 && /Ann[\s\S]*\(you\)[\s\S]*host/.test(texts[0]) && /Ben/.test(texts[1]),
    { what: "Ann's People panel to list Ann (you, host), then Ben" });
  assert.match(await ann.byTestId('people-count').innerText(), /2 in the call/);
  await ben.toggle('toggle-mic', false);
  await pollUntil(() => ann.personRow(ben).getByTestId('person-mic').getAttribute('aria-label'), (label) => label === 'Microphone off',
    { what: "Ann's People panel to say Ben's microphone is off" });

  // Chat replaces People; the panel and the stage share the screen without overlapping.
  const chat = await ann.openPanel('chat');
  assert.equal(await people.isVisible(), false, 'People closed when Chat opened');
  assert.equal(await ann.byTestId('people-toggle').getAttribute('aria-expanded'), 'false');
  assert.equal((await focused(ann)).testid, 'chat-input');
  assert.ok(!overlaps(await box(chat), await box(ann.byTestId('stage'))), 'the chat does not cover the stage');
  assert.ok(await unobscured(ann.byTestId('toggle-mic')), 'the controls stay in view');

  // Escape closes it and gives focus back to its button.
  await ann.page.keyboard.press('Escape');
  await pollUntil(() => chat.isVisible(), (v) => !v, { what: 'the chat to close on Escape' });
  assert.equal((await focused(ann)).testid, 'chat-toggle');

  // A phone: the open panel is a sheet over the stage; notices and controls stay usable.
  await ann.page.setViewportSize({ width: 390, height: 844 });
  await ann.openPanel('diagnostics');
  assert.equal(await ann.byTestId('stage').isVisible(), false, 'the sheet takes the stage\'s place');
  const sheet = await box(ann.byTestId('diagnostics-panel'));
  assert.ok(sheet.width >= 390 - 40, `the sheet is as wide as the screen (${sheet.width} px)`);
  assert.ok(await unobscured(ann.byTestId('toggle-mic')), 'the microphone button stays in reach');
  await expectNoHorizontalScroll(ann.page, 'the Diagnostics sheet at 390x844');
  await ann.press('diagnostics-close');
  assert.equal(await ann.byTestId('stage').isVisible(), true, 'closing the sheet brings the stage back');
  assert.equal((await focused(ann)).testid, 'diagnostics-toggle');
  await expectMediaFrom(ann, ben);
});

test('speaker view, pinning, a screen share on the stage, and pages of tiles on a small screen', { timeout: 180_000 }, async () => {
  const room = uniqueRoom('stage');
  const ann = await env.join(room, 'Ann');
  const ben = await env.join(room, 'Ben');
  const cat = await env.join(room, 'Cat');
  await ann.page.setViewportSize({ width: 1280, height: 800 });
  const key = (p, kind = 'camera') => `${p.id}/${kind}`;
  await pollUntil(() => places(ann), (p) => Object.keys(p).length === 3 && Object.values(p).every((t) => t.place === 'grid'),
    { what: "Ann's three tiles in the grid" });

  // The speaker view: one tile large, the others in the strip.
  const view = ann.byTestId('speaker-view');
  assert.equal(await view.getAttribute('aria-pressed'), 'false');
  await view.click();
  const speaker = await pollUntil(() => places(ann), (p) => Object.values(p).filter((t) => t.place === 'stage').length === 1,
    { what: "Ann's speaker view" });
  const [onStage] = Object.entries(speaker).find(([, t]) => t.place === 'stage');
  assert.notEqual(onStage, key(ann), 'not our own tile on the stage');
  for (const [id, tile] of Object.entries(speaker)) {
    if (id !== onStage) assert.ok(tile.place === 'strip' && tile.width < speaker[onStage].width / 2, `${id} is small in the strip`);
  }

  // Pin Cat: Cat takes the stage and stays there; the moved video keeps playing.
  const catTile = ann.page.locator(`[data-testid="tile"][data-participant="${cat.id}"][data-kind="camera"]`);
  await catTile.hover();
  const pin = catTile.getByTestId('tile-pin');
  assert.equal(await pin.getAttribute('aria-label'), 'Pin Cat');
  await pin.click();
  await pollUntil(() => places(ann), (p) => p[key(cat)].place === 'stage', { what: "Cat's tile on Ann's stage" });
  assert.equal(await pin.getAttribute('aria-pressed'), 'true');
  await keepsPlaying(ann, cat);
  // Unpinned, the screen goes back to the automatic choice: the grid.
  await pin.click();
  await pollUntil(() => places(ann), (p) => Object.values(p).every((t) => t.place === 'grid'), { what: "Ann's grid again" });

  // Ben shares his screen: it takes the stage on its own, and plays.
  await ben.toggle('toggle-screen', true);
  await pollUntil(() => places(ann), (p) => p[key(ben, 'screen')]?.place === 'stage', { what: "Ben's screen on Ann's stage" });
  await keepsPlaying(ann, ben, 'screen');
  await ben.toggle('toggle-screen', false);
  await pollUntil(() => places(ann), (p) => !p[key(ben, 'screen')] && Object.values(p).every((t) => t.place === 'grid'),
    { what: "Ann's grid after the share ends" });

  // A small phone: three people don't fit at a useful size; they go on pages, each on one.
  await ann.page.setViewportSize({ width: 320, height: 568 });
  const status = ann.byTestId('page-status');
  const text = await pollUntil(() => status.isVisible().then((v) => (v ? status.innerText() : null)), (t) => /^Page 1 of [2-3]$/.test(t ?? ''),
    { what: "Ann's pager" });
  const pages = Number(text.match(/of (\d)/)[1]);
  const seen = [];
  for (let page = 1; page <= pages; page++) {
    if (page > 1) {
      await ann.press('page-next');
      await pollUntil(() => status.innerText(), (t) => t === `Page ${page} of ${pages}`, { what: `page ${page}` });
    }
    const shown = await pollUntil(() => places(ann), (p) => Object.values(p).some((t) => t.place === 'grid'), { what: 'tiles on the page' });
    seen.push(...Object.entries(shown).filter(([, t]) => t.place === 'grid').map(([id]) => id));
  }
  assert.deepEqual(seen.sort(), [key(ann), key(ben), key(cat)].sort(), 'everyone on exactly one page');
  assert.equal(await ann.byTestId('page-next').isDisabled(), true, 'no page after the last');
  await expectNoHorizontalScroll(ann.page, 'pages of tiles at 320x568');
});

test('at 200% zoom the host sees the knock, opens People and admits; the controls stay in view', { timeout: 120_000 }, async () => {
  const room = uniqueRoom('zoom');
  const kim = await env.openAsHost(room, 'Kim', { admission: 'knock' });
  // A 1280x800 screen at 200% zoom: 640x400 CSS pixels.
  await kim.page.setViewportSize({ width: 640, height: 400 });
  const dee = await env.open(`/r/${room}?name=Dee`, 'Dee');
  await dee.pressJoin();
  await pollUntil(() => kim.byTestId('knock-notice').isVisible(), Boolean, { what: "Kim's knock notice" });
  for (const control of ['toggle-mic', 'toggle-cam', 'people-toggle', 'leave']) {
    assert.ok(await unobscured(kim.byTestId(control)), `${control} is visible and not covered`);
  }
  assert.match(await kim.byTestId('people-badge').textContent(), /1 waiting to join/);
  await kim.openPanel('people');
  const admit = kim.byTestId('queue-panel').getByRole('button', { name: 'Admit Dee' });
  await admit.scrollIntoViewIfNeeded();
  assert.ok(await unobscured(admit), 'Admit is visible in the People sheet');
  await expectNoHorizontalScroll(kim.page, 'the People sheet at 640x400');
  await admit.click();
  const client = await pollUntil(() => dee.client(), (c) => c?.state === 'in-call' && c.selfId, { what: 'Dee to be in the call' });
  dee.id = client.selfId;
  await expectMediaFrom(kim, dee);
});

test('five people: whole faces in a grid that fits a laptop and a phone, everyone in People, media from everyone', { timeout: 180_000 }, async () => {
  const room = uniqueRoom('five');
  const people = [];
  for (const name of ['Ann', 'Ben', 'Cat', 'Dan', 'Eve']) people.push(await env.join(room, name));
  const [ann, ...others] = people;
  for (const other of others) await expectMediaFrom(ann, other);
  await ann.page.setViewportSize({ width: 1280, height: 800 });
  assert.deepEqual(await expectGridArrangement(ann, 5), { cols: 3, rows: 2 }, 'five 16:9 tiles, three across on a laptop');
  await ann.openPanel('people');
  await pollUntil(() => ann.byTestId('person').count(), (n) => n === 5, { what: "Ann's People panel to list all five" });
  assert.match(await ann.byTestId('people-count').innerText(), /5 in the call/);
  // With People open the stage is narrower: still whole faces, none under the panel.
  await expectGridArrangement(ann, 5);
  const panel = await box(ann.byTestId('people-panel'));
  for (const tile of await ann.page.locator('[data-testid="tile"]').all()) assert.ok(!overlaps(await box(tile), panel), 'no tile under the panel');
  await ann.press('people-close');
  await ann.page.setViewportSize({ width: 390, height: 844 });
  await expectGridArrangement(ann, 5);
  assert.equal(await ann.byTestId('page-status').isVisible(), false, 'five still fit one page on a phone');
  await expectNoHorizontalScroll(ann.page, 'five people at 390x844');
});
