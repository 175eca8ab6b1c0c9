// Picks the number of columns that makes tiles largest for the space available: n 16:9 tiles
// in a W×H box with `gap` between them, and the tiles' size, so each keeps the picture's shape
// (a tile stretched to its cell would crop a 16:9 face to a strip). Pure function so it can be
// reasoned about (and tested) on its own.
export const ASPECT = 16 / 9;

export function bestGrid(count, width, height, gap = 0) {
  if (count <= 0 || width <= 0 || height <= 0) return { cols: 1, rows: 1, width: 0, height: 0 };
  let best = { cols: 1, rows: count, size: 0 };
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    const across = Math.max(0, width - gap * (cols - 1)) / cols;
    const down = Math.max(0, height - gap * (rows - 1)) / rows;
    const tileWidth = Math.min(across, down * ASPECT);
    if (tileWidth > best.size) best = { cols, rows, size: tileWidth };
  }
  return { cols: best.cols, rows: best.rows, width: Math.floor(best.size), height: Math.floor(best.size / ASPECT) };
}
