// The responsive grid of tiles. Screen shares come first (they are what people look at), then
// cameras in join order; the column count follows the available space.
import { h } from './dom.js';
import { Tile } from './tile.js';
import { bestGrid } from './grid-layout.js';

const key = (participantId, kind) => `${participantId}\n${kind}`;
const GAP_PX = 8; // .grid's gap in app.css

export class Grid {
  #tiles = new Map();
  #observer;
  #size = { width: 0, height: 0 }; // the grid's box as the ResizeObserver last reported it
  #speakerDevice = null;
  #onAutoplayBlocked;
  element;

  constructor({ onAutoplayBlocked }) {
    this.#onAutoplayBlocked = onAutoplayBlocked;
    this.element = h('div', { class: 'grid', role: 'list' });
    this.#observer = new ResizeObserver(([entry]) => {
      const box = entry.borderBoxSize?.[0];
      this.#size = box ? { width: box.inlineSize, height: box.blockSize }
        : { width: entry.contentRect.width, height: entry.contentRect.height };
      this.#layout();
    });
    this.#observer.observe(this.element);
  }

  get(participantId, kind = 'camera') {
    return this.#tiles.get(key(participantId, kind)) ?? null;
  }

  ensure({ participantId, kind = 'camera', self = false, name }) {
    const existing = this.get(participantId, kind);
    if (existing) return existing;
    const tile = new Tile({ participantId, kind, self, name, onAutoplayBlocked: this.#onAutoplayBlocked });
    tile.element.setAttribute('role', 'listitem');
    if (!self) tile.setSpeaker(this.#speakerDevice);
    this.#tiles.set(key(participantId, kind), tile);
    if (kind === 'screen') this.element.prepend(tile.element);
    else this.element.append(tile.element);
    this.#layout();
    return tile;
  }

  remove(participantId, kind) {
    const tile = this.get(participantId, kind);
    if (!tile) return;
    tile.remove();
    this.#tiles.delete(key(participantId, kind));
    this.#layout();
  }

  removeParticipant(participantId) {
    this.remove(participantId, 'camera');
    this.remove(participantId, 'screen');
  }

  setActiveSpeaker(participantId) {
    for (const tile of this.#tiles.values()) tile.setSpeaking(false);
    this.get(participantId, 'camera')?.setSpeaking(true);
  }

  setSpeakerDevice(deviceId) {
    this.#speakerDevice = deviceId;
    for (const tile of this.#tiles.values()) tile.setSpeaker(deviceId);
  }

  playAll() {
    for (const tile of this.#tiles.values()) tile.play();
  }

  destroy() {
    this.#observer.disconnect();
    for (const tile of this.#tiles.values()) tile.remove();
    this.#tiles.clear();
  }

  // The size is the one the ResizeObserver reported after the last layout: measuring here would
  // force the browser to lay out the whole call screen there and then, for every tile added or
  // removed (tens of milliseconds on a busy machine, right when someone joins). Before the
  // grid's first layout the size is 0 and the observer calls again once it has one.
  #layout() {
    const { cols, rows, width, height } = bestGrid(this.#tiles.size, this.#size.width, this.#size.height, GAP_PX);
    this.element.style.setProperty('--cols', String(cols));
    this.element.style.setProperty('--rows', String(rows));
    // Each tile keeps the picture's 16:9 shape, centred in its cell, so faces are whole.
    if (width > 0) {
      this.element.style.setProperty('--tile-w', `${width}px`);
      this.element.style.setProperty('--tile-h', `${height}px`);
    }
  }
}
