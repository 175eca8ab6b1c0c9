// The call's stage: every tile (cameras, screen shares), laid out as a grid that pages when
// there are more people than fit at a useful size, or as a speaker view (one tile large, the
// rest in a strip); the person switches, pins someone, or turns pages (stage-layout.js has the
// rules). The sizes follow the space the stage has, measured by a ResizeObserver.
import { h } from './dom.js';
import { bindAttrs, bindText } from './i18n.js';
import { Tile } from './tile.js';
import { bestGrid } from './grid-layout.js';
import { stageLayout } from './stage-layout.js';
import { toggleButton } from './toggle-button.js';

const key = (participantId, kind) => `${participantId}\n${kind}`;
const GAP_PX = 8; // .stage's and .grid's gap in app.css
const PAGER_PX = 44; // the pager's height when shown

export class Stage {
  #tiles = new Map(); // key -> Tile, in the grid's order (screens first, then cameras as they came)
  #observer;
  #size = { width: 0, height: 0 }; // the stage's box as the ResizeObserver last reported it
  #speakerDevice = null;
  #onAutoplayBlocked;
  #choice = { view: null, pinned: null, speaker: null, previous: null, page: 0 };
  #layout = null; // the last stageLayout() result
  #focus; // the speaker view's large tile
  #grid; // the grid's page, or the speaker view's strip
  #pager;
  #pageText;
  #prev;
  #next;
  #viewToggle;
  element;
  viewButton; // switches between the grid and the speaker view (aria-pressed: speaker view)

  #onShown;
  #shown = '';
  // Tiles the browser last reported as out of view (scrolled off the speaker view's strip, or
  // hidden): an IntersectionObserver's word, so a tile never reported counts as in view.
  #outOfView = new Set();
  #keyOf = new WeakMap(); // tile element -> key
  #visibility = null;

  // onShown([{ participant, source }]): the others' tiles on screen changed (the grid's page, the
  // speaker view's stage and strip).
  constructor({ onAutoplayBlocked, onShown = () => {} }) {
    this.#onAutoplayBlocked = onAutoplayBlocked;
    this.#onShown = onShown;
    this.#focus = h('div', { class: 'stage__focus', role: 'list', ta: { 'aria-label': 'stage.focus' } });
    this.#grid = h('div', { class: 'grid', role: 'list', ta: { 'aria-label': 'stage.everyone' } });
    this.#prev = h('button', { type: 'button', class: 'button button--small', 'data-testid': 'page-prev', t: 'stage.prev',
      onclick: () => this.#turn(-1) });
    this.#next = h('button', { type: 'button', class: 'button button--small', 'data-testid': 'page-next', t: 'stage.next',
      onclick: () => this.#turn(1) });
    this.#pageText = h('span', { class: 'stage__page', 'data-testid': 'page-status', 'aria-live': 'polite' });
    this.#pager = h('nav', { class: 'stage__pager', hidden: true, ta: { 'aria-label': 'stage.pages' } },
      this.#prev, this.#pageText, this.#next);
    this.element = h('div', { class: 'stage', 'data-testid': 'stage' }, this.#focus, this.#grid, this.#pager);
    this.#viewToggle = toggleButton({ testid: 'speaker-view', iconOn: 'speakerView', iconOff: 'gridView', offStyle: false,
      onClick: () => this.#chooseView(this.#layout?.view === 'speaker' ? 'grid' : 'speaker'),
      keys: { name: 'stage.speaker-view', turnOn: 'stage.to-speaker', turnOff: 'stage.to-grid' } });
    this.viewButton = this.#viewToggle.button;
    this.#observer = new ResizeObserver(([entry]) => {
      const box = entry.borderBoxSize?.[0];
      this.#size = box ? { width: box.inlineSize, height: box.blockSize }
        : { width: entry.contentRect.width, height: entry.contentRect.height };
      this.#arrange();
    });
    this.#observer.observe(this.element);
    if (typeof IntersectionObserver === 'function') {
      this.#visibility = new IntersectionObserver((entries) => {
        for (const entry of entries) {
          const id = this.#keyOf.get(entry.target);
          if (entry.isIntersecting) this.#outOfView.delete(id);
          else this.#outOfView.add(id);
        }
        if (this.#layout) this.#reportShown(this.#layout);
      });
    }
    this.#arrange();
  }

  get(participantId, kind = 'camera') {
    return this.#tiles.get(key(participantId, kind)) ?? null;
  }

  ensure({ participantId, kind = 'camera', self = false, name }) {
    const existing = this.get(participantId, kind);
    if (existing) return existing;
    const id = key(participantId, kind);
    const tile = new Tile({ participantId, kind, self, name, onAutoplayBlocked: this.#onAutoplayBlocked,
      onPin: () => this.#pin(id) });
    tile.element.setAttribute('role', 'listitem');
    if (!self) tile.setSpeaker(this.#speakerDevice);
    this.#keyOf.set(tile.element, id);
    this.#visibility?.observe(tile.element);
    // Screen shares come first (they are what people look at), then cameras in join order.
    if (kind === 'screen') {
      const rest = [...this.#tiles];
      this.#tiles = new Map([[id, tile], ...rest]);
    } else {
      this.#tiles.set(id, tile);
    }
    this.#arrange();
    return tile;
  }

  remove(participantId, kind) {
    const tile = this.get(participantId, kind);
    if (!tile) return;
    this.#visibility?.unobserve(tile.element);
    this.#outOfView.delete(key(participantId, kind));
    tile.remove();
    this.#tiles.delete(key(participantId, kind));
    this.#arrange();
  }

  removeParticipant(participantId) {
    this.remove(participantId, 'camera');
    this.remove(participantId, 'screen');
  }

  // The speaking highlight, and in the speaker view whose tile is large.
  setActiveSpeaker(participantId) {
    for (const tile of this.#tiles.values()) tile.setSpeaking(false);
    this.get(participantId, 'camera')?.setSpeaking(true);
    if (participantId !== null) {
      this.#choice.speaker = participantId;
      if (this.#layout?.view === 'speaker') this.#arrange();
    }
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
    this.#visibility?.disconnect();
    for (const tile of this.#tiles.values()) tile.remove();
    this.#tiles.clear();
  }

  #chooseView(view) {
    this.#choice.view = view;
    if (view === 'grid') this.#choice.pinned = null;
    this.#arrange();
  }

  // Pinning puts that tile on the stage (the speaker view); pressing it again lets go.
  #pin(id) {
    this.#choice.pinned = this.#choice.pinned === id ? null : id;
    this.#choice.view = null; // automatic: a pin means the speaker view, no pin the usual
    this.#arrange();
  }

  #turn(delta) {
    this.#choice.page = (this.#layout?.page ?? 0) + delta;
    this.#arrange();
  }

  // The size is the one the ResizeObserver reported after the last layout: measuring here would
  // force the browser to lay out the whole call screen there and then, for every tile added or
  // removed (tens of milliseconds on a busy machine, right when someone joins). Before the
  // stage's first layout the size is 0 and the observer calls again once it has one.
  #arrange() {
    const tiles = [...this.#tiles].map(([id, tile]) => ({ key: id, participantId: tile.participantId, kind: tile.kind, self: tile.self }));
    const { width, height } = this.#size;
    let result = stageLayout(tiles, this.#choice, { width, height, gap: GAP_PX });
    // More than one page: the pager takes its row, and a page holds what fits in the rest.
    if (result.view === 'grid' && result.pages > 1) {
      result = stageLayout(tiles, this.#choice, { width, height: Math.max(0, height - PAGER_PX - GAP_PX), gap: GAP_PX });
    }
    this.#layout = result;
    this.#choice.page = result.page;
    if (result.stage) this.#choice.previous = result.stage;
    this.element.dataset.view = result.view;
    this.#viewToggle.set(result.view === 'speaker');
    this.viewButton.hidden = this.#tiles.size < 2;
    for (const [id, tile] of this.#tiles) tile.setPinned(this.#choice.pinned === id);
    if (result.view === 'speaker') this.#arrangeSpeaker(result, width, height);
    else this.#arrangeGrid(result, width, height);
    this.#reportShown(result);
  }

  // The grid shows its page whole; the speaker view its stage and the strip's tiles in view.
  #reportShown(layout) {
    const keys = layout.view === 'speaker' ? [layout.stage, ...layout.strip.filter((id) => !this.#outOfView.has(id))]
      : layout.shown;
    const shown = keys.map((id) => this.#tiles.get(id)).filter((tile) => tile && !tile.self)
      .map((tile) => ({ participant: tile.participantId, source: tile.kind }));
    const text = JSON.stringify(shown);
    if (text === this.#shown) return;
    this.#shown = text;
    this.#onShown(shown);
  }

  #arrangeGrid(layout, width, height) {
    const shown = new Set(layout.shown);
    this.#place(this.#grid, [...this.#tiles.keys()]);
    this.#place(this.#focus, []);
    for (const [id, tile] of this.#tiles) {
      tile.element.hidden = !shown.has(id);
      tile.element.dataset.place = shown.has(id) ? 'grid' : 'other-page';
    }
    this.#grid.classList.remove('grid--strip');
    this.#pager.hidden = layout.pages < 2;
    if (layout.pages > 1) {
      bindText(this.#pageText, 'stage.page', { page: layout.page + 1, pages: layout.pages });
      this.#prev.disabled = layout.page === 0;
      this.#next.disabled = layout.page === layout.pages - 1;
      bindAttrs(this.#prev, { 'aria-label': ['stage.prev-named', { page: layout.page, pages: layout.pages }] });
      bindAttrs(this.#next, { 'aria-label': ['stage.next-named', { page: layout.page + 2, pages: layout.pages }] });
    }
    const gridHeight = layout.pages > 1 ? height - PAGER_PX - GAP_PX : height;
    const fit = bestGrid(shown.size, width, gridHeight, GAP_PX);
    this.#grid.style.setProperty('--cols', String(fit.cols));
    this.#grid.style.setProperty('--rows', String(fit.rows));
    // Each tile keeps the picture's 16:9 shape, centred in its cell, so faces are whole.
    if (fit.width > 0) {
      this.#grid.style.setProperty('--tile-w', `${fit.width}px`);
      this.#grid.style.setProperty('--tile-h', `${fit.height}px`);
    }
  }

  #arrangeSpeaker(layout, width, height) {
    this.#pager.hidden = true;
    this.#place(this.#focus, [layout.stage]);
    this.#place(this.#grid, layout.strip);
    for (const [id, tile] of this.#tiles) {
      tile.element.hidden = false;
      tile.element.dataset.place = id === layout.stage ? 'stage' : 'strip';
    }
    this.#grid.classList.add('grid--strip');
    // The strip: a row of small tiles (scrolling sideways when they don't fit); the stage: the
    // largest 16:9 tile in what is left.
    const stripHeight = Math.round(Math.min(150, Math.max(64, height * 0.2)));
    this.#grid.style.setProperty('--tile-h', `${stripHeight}px`);
    this.#grid.style.setProperty('--tile-w', `${Math.round(stripHeight * 16 / 9)}px`);
    const fit = bestGrid(1, width, Math.max(0, height - stripHeight - GAP_PX), 0);
    if (fit.width > 0) {
      this.#focus.style.setProperty('--tile-w', `${fit.width}px`);
      this.#focus.style.setProperty('--tile-h', `${fit.height}px`);
    }
  }

  // Puts these tiles, in this order, in `container`; moves only what is out of place (a video
  // moved within one task keeps playing; it is nudged in case the browser paused it).
  #place(container, ids) {
    const wanted = ids.map((id) => this.#tiles.get(id)).filter(Boolean);
    const current = [...container.children];
    if (wanted.length === current.length && wanted.every((tile, i) => current[i] === tile.element)) return;
    for (const tile of wanted) {
      const moved = tile.element.parentElement !== container;
      container.append(tile.element);
      if (moved && tile.video.srcObject && tile.video.paused) tile.play();
    }
  }
}
