// Picks the number of columns that makes tiles largest for the space available: n 16:9 tiles
// in a W×H box. Pure function so it can be reasoned about (and tested) on its own.
const ASPECT = 16 / 9;

export function bestGrid(count, width, height) {
  if (count <= 0 || width <= 0 || height <= 0) return { cols: 1, rows: 1 };
  let best = { cols: 1, rows: count, size: 0 };
  for (let cols = 1; cols <= count; cols++) {
    const rows = Math.ceil(count / cols);
    const tileWidth = Math.min(width / cols, (height / rows) * ASPECT);
    if (tileWidth > best.size) best = { cols, rows, size: tileWidth };
  }
  return { cols: best.cols, rows: best.rows };
}
