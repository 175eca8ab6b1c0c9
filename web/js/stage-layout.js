// What the stage shows, and how: a pure function of the tiles, the person's choices and the
// space, so the rules can be tested without a browser.
//
// - Grid view: as many tiles as fit at a useful size (MIN_TILE_WIDTH) on a page; more than that
//   and the rest go on further pages.
// - Speaker view: one tile large (the stage), everyone else in a strip below it. On the stage:
//   the pinned tile, else a screen share, else whoever spoke last (not ourselves: we know what
//   we look like), else the one there before, else the first other person.
// - A pin or a screen share switches to the speaker view unless the person chose the grid
//   after it; the choice ('grid' | 'speaker' | null for automatic) is theirs.
import { bestGrid } from './grid-layout.js';

export const MIN_TILE_WIDTH = 160;

// tiles: [{ key, participantId, kind, self }] in the order the grid lists them (screens first,
// then cameras in join order). choice: { view: 'grid' | 'speaker' | null, pinned: key | null,
// speaker: participantId | null, previous: key | null, page }. space: { width, height, gap }.
// Returns { view, stage: key | null, strip: [key], shown: [key] (grid), page, pages, capacity }.
export function stageLayout(tiles, choice, space) {
  const keys = tiles.map((tile) => tile.key);
  const pinned = keys.includes(choice.pinned) ? choice.pinned : null;
  const screen = tiles.find((tile) => tile.kind === 'screen')?.key ?? null;
  const automatic = pinned || screen ? 'speaker' : 'grid';
  const view = tiles.length < 2 ? 'grid' : choice.view ?? automatic;
  if (view === 'speaker') {
    const stage = pinned ?? screen ?? speakerTile(tiles, choice.speaker) ?? (keys.includes(choice.previous) ? choice.previous : null)
      ?? tiles.find((tile) => !tile.self)?.key ?? keys[0];
    return { view, stage, strip: keys.filter((key) => key !== stage), shown: [], page: 0, pages: 1, capacity: tiles.length };
  }
  const capacity = pageCapacity(tiles.length, space);
  const pages = Math.max(1, Math.ceil(tiles.length / capacity));
  const page = Math.min(Math.max(0, choice.page | 0), pages - 1);
  return { view, stage: null, strip: [], shown: keys.slice(page * capacity, (page + 1) * capacity), page, pages, capacity };
}

function speakerTile(tiles, participantId) {
  if (!participantId) return null;
  return tiles.find((tile) => tile.participantId === participantId && tile.kind === 'camera' && !tile.self)?.key ?? null;
}

// How many tiles a grid page holds: the most that still get MIN_TILE_WIDTH each (at least one;
// before the space is known, all of them).
export function pageCapacity(count, { width, height, gap = 0 }) {
  if (count <= 1 || !(width > 0) || !(height > 0)) return Math.max(1, count);
  let capacity = 1;
  for (let n = 2; n <= count; n++) {
    if (bestGrid(n, width, height, gap).width >= MIN_TILE_WIDTH) capacity = n;
    else break;
  }
  return capacity;
}
