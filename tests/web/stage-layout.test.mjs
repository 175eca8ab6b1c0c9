// The stage's rules (web/js/stage-layout.js): grid pages, the speaker view and what takes the
// stage (a pin, a screen share, the last speaker), and whose choice wins.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { MIN_TILE_WIDTH, pageCapacity, stageLayout } from '../../web/js/stage-layout.js';
import { bestGrid } from '../../web/js/grid-layout.js';

const camera = (id, self = false) => ({ key: `${id}/camera`, participantId: id, kind: 'camera', self });
const screen = (id) => ({ key: `${id}/screen`, participantId: id, kind: 'screen', self: false });
const people = (n) => [camera('me', true), ...Array.from({ length: n - 1 }, (_, i) => camera(`p${i + 1}`))];
const LAPTOP = { width: 1264, height: 640, gap: 8 };
const PHONE = { width: 374, height: 520, gap: 8 };
const none = { view: null, pinned: null, speaker: null, previous: null, page: 0 };

test('a page holds as many tiles as keep a useful size, and no more', () => {
  for (const space of [LAPTOP, PHONE]) {
    for (const count of [2, 5, 12, 20, 50]) {
      const capacity = pageCapacity(count, space);
      assert.ok(capacity >= 1 && capacity <= count);
      if (capacity > 1) assert.ok(bestGrid(capacity, space.width, space.height, space.gap).width >= MIN_TILE_WIDTH, `${count}: ${capacity} fit`);
      if (capacity < count) assert.ok(bestGrid(capacity + 1, space.width, space.height, space.gap).width < MIN_TILE_WIDTH, `${count}: one more would not`);
    }
  }
  assert.equal(pageCapacity(50, { width: 0, height: 0 }), 50, 'before the space is known, everything');
});

test('fifty people in the grid: pages that cover everyone once, the page number kept in range', () => {
  const tiles = people(50);
  const first = stageLayout(tiles, none, LAPTOP);
  assert.equal(first.view, 'grid');
  assert.ok(first.pages > 1, `${first.capacity} a page`);
  const seen = [];
  for (let page = 0; page < first.pages; page++) seen.push(...stageLayout(tiles, { ...none, page }, LAPTOP).shown);
  assert.deepEqual(seen, tiles.map((t) => t.key), 'every tile on exactly one page, in order');
  assert.equal(stageLayout(tiles, { ...none, page: 99 }, LAPTOP).page, first.pages - 1);
  assert.equal(stageLayout(people(3), { ...none, page: 2 }, LAPTOP).page, 0, 'a page that went away');
});

test('speaker view: the last speaker on the stage, everyone else in the strip; never ourselves by choice', () => {
  const tiles = people(4);
  const choice = { ...none, view: 'speaker', speaker: 'p2' };
  const layout = stageLayout(tiles, choice, LAPTOP);
  assert.equal(layout.stage, 'p2/camera');
  assert.deepEqual(layout.strip, ['me/camera', 'p1/camera', 'p3/camera']);
  assert.equal(stageLayout(tiles, { ...choice, speaker: 'me', previous: 'p3/camera' }, LAPTOP).stage, 'p3/camera',
    'we speak: the one before stays');
  assert.equal(stageLayout(tiles, { ...choice, speaker: null }, LAPTOP).stage, 'p1/camera', 'nobody yet: the first other person');
});

test('a pin takes the stage, and a screen share does when nothing is pinned; the grid when chosen', () => {
  const tiles = [screen('p1'), ...people(3)];
  assert.deepEqual(stageLayout(tiles, none, LAPTOP).stage, 'p1/screen', 'a screen share switches to the speaker view');
  assert.equal(stageLayout(tiles, { ...none, pinned: 'p2/camera', speaker: 'p1' }, LAPTOP).stage, 'p2/camera');
  assert.equal(stageLayout(people(3), { ...none, pinned: 'p2/camera' }, LAPTOP).view, 'speaker', 'a pin switches too');
  assert.equal(stageLayout(tiles, { ...none, view: 'grid' }, LAPTOP).view, 'grid', 'the person chose the grid');
  assert.equal(stageLayout(people(3), { ...none, pinned: 'gone/camera' }, LAPTOP).view, 'grid', 'a pin on someone who left is void');
  assert.equal(stageLayout([camera('me', true)], { ...none, view: 'speaker' }, LAPTOP).view, 'grid', 'alone: nothing to put on a stage');
});
