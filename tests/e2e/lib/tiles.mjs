// The call view as a person sees it: which tiles, whose, and what they say.
import assert from 'node:assert/strict';

import { pollUntil } from './poll.mjs';

const byParticipantAndKind = (a, b) =>
  `${a.participant}/${a.kind}`.localeCompare(`${b.participant}/${b.kind}`);

const visiblePart = ({ participant, kind, self, name }) => ({ participant, kind, self, name });

// Waits until `viewer` shows exactly `expected` tiles ({ participant, kind, self, name }, any
// order); fails with the difference when it does not.
export async function expectTiles(viewer, expected) {
  const want = [...expected].sort(byParticipantAndKind);
  const matches = (tiles) => {
    try {
      assert.deepEqual(tiles.map(visiblePart).sort(byParticipantAndKind), want);
      return true;
    } catch {
      return false;
    }
  };
  let tiles;
  try {
    tiles = await pollUntil(() => viewer.tiles(), matches, { what: `${viewer.label}'s tiles` });
  } catch {
    tiles = await viewer.tiles();
  }
  assert.deepEqual(tiles.map(visiblePart).sort(byParticipantAndKind), want,
    `${viewer.label} shows the wrong tiles`);
  return tiles;
}

// The camera tile everyone shows for `p`: its own page marks it as self.
export const cameraTile = (p, viewer) =>
  ({ participant: p.id, kind: 'camera', self: p === viewer, name: p.name });

// Waits until `viewer`'s tile for `subject` shows the mic-off / cam-off indicators as given.
export async function expectIndicators(viewer, subject, { micOff, camOff }) {
  const tile = await pollUntil(() => viewer.tileOf(subject.id),
    (t) => t && t.micOff === micOff && t.camOff === camOff,
    { what: `${viewer.label}'s tile of ${subject.label} to show micOff=${micOff} camOff=${camOff}` });
  assert.ok(tile.hasMicIndicator && tile.hasCamIndicator, 'indicators must exist even when hidden');
  return tile;
}

// Waits until `viewer` shows `subject`'s camera tile highlighted as the active speaker (or not).
export const expectSpeaking = (viewer, subject, speaking) => pollUntil(() => viewer.tileOf(subject.id),
  (tile) => tile?.speaking === speaking,
  { what: `${viewer.label} to show ${subject.label} as ${speaking ? '' : 'not '}speaking` });

// The grid's columns and rows as the page set them, next to what the layout rule
// (web/js/grid-layout.js) gives for its tile count and its size as measured now.
const gridArrangement = (viewer) => viewer.page.evaluate(async () => {
  const grid = document.querySelector('[data-testid="call"] .grid');
  if (!grid) return null;
  const { bestGrid } = await import('/js/grid-layout.js');
  const { width, height } = grid.getBoundingClientRect();
  const boxes = [...grid.querySelectorAll('[data-testid="tile"]')].map((t) => t.getBoundingClientRect());
  const style = getComputedStyle(grid);
  const { cols, rows } = bestGrid(boxes.length, width, height, parseFloat(style.columnGap) || 0);
  return {
    tiles: boxes.length,
    shown: { cols: Number(style.getPropertyValue('--cols')), rows: Number(style.getPropertyValue('--rows')) },
    expected: { cols, rows },
    // Width over height of each tile: a camera tile keeps the picture's 16:9, so no face is cut.
    shapes: boxes.map((b) => (b.height > 0 ? b.width / b.height : 0)),
  };
});

// Waits until `viewer` arranges its `tiles` tiles as the layout rule says for the grid's size,
// each tile 16:9 like the picture.
export async function expectGridArrangement(viewer, tiles) {
  const fits = (a) => a?.tiles === tiles && a.shown.cols === a.expected.cols && a.shown.rows === a.expected.rows &&
    a.shapes.every((ratio) => Math.abs(ratio - 16 / 9) < 0.05);
  const arrangement = await pollUntil(() => gridArrangement(viewer), fits,
    { what: `${viewer.label}'s grid to arrange ${tiles} tiles for its size` });
  return arrangement.shown;
}
