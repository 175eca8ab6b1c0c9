// The call grid's layout rule (web/js/grid-layout.js): the arrangement that makes 16:9 tiles
// largest, and tiles that keep that shape.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { ASPECT, bestGrid } from '../../web/js/grid-layout.js';

test('two people: side by side when the box is wide, stacked when it is narrow', () => {
  assert.deepEqual(bestGrid(2, 1200, 600, 8), { cols: 2, rows: 1, width: 596, height: 335 });
  assert.deepEqual(bestGrid(2, 920, 600, 8), { cols: 1, rows: 2, width: 526, height: 296 });
});

test('tiles keep 16:9 and fit in the box with the gaps', () => {
  for (const [count, w, h] of [[1, 800, 800], [3, 1280, 720], [5, 1000, 700], [6, 390, 700], [12, 1920, 1080]]) {
    const g = bestGrid(count, w, h, 8);
    assert.ok(g.cols * g.rows >= count, `${count} tiles fit in ${g.cols}×${g.rows}`);
    assert.ok(g.cols * g.width + 8 * (g.cols - 1) <= w, `${count}: width`);
    assert.ok(g.rows * g.height + 8 * (g.rows - 1) <= h, `${count}: height`);
    assert.ok(Math.abs(g.width / g.height - ASPECT) < 0.02, `${count}: ${g.width}×${g.height} is 16:9`);
  }
});

test('nothing to lay out yet', () => {
  assert.deepEqual(bestGrid(0, 800, 600), { cols: 1, rows: 1, width: 0, height: 0 });
  assert.deepEqual(bestGrid(3, 0, 0), { cols: 1, rows: 1, width: 0, height: 0 });
});
