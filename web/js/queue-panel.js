// The host's view of the line, at the top of the People panel: who is waiting, for how long
// (ticking), and Admit / Decline / Move to front for each. Hidden when nobody waits.
import { h } from './dom.js';
import { bindText } from './i18n.js';
import { waitedWords } from './durations.js';

export class QueuePanel {
  #list;
  #count;
  #entries = [];
  #actions;
  #serverNow;
  #onArrival;
  #onCount;
  element;

  // actions: { admit(id), decline(id), moveToFront(id) }; serverNow(): the server's clock;
  // onArrival(entry): someone new is waiting (said and shown by the caller, since this panel
  // may be out of view); onCount(n): how many wait now.
  constructor({ actions, serverNow, onArrival, onCount = () => {} }) {
    this.#onCount = onCount;
    this.#actions = actions;
    this.#serverNow = serverNow;
    this.#onArrival = onArrival;
    this.#count = h('h3', { class: 'queue__title', id: 'queue-title' });
    this.#list = h('ul', { class: 'queue__list', 'aria-labelledby': 'queue-title' });
    this.element = h('section', { class: 'queue', 'data-testid': 'queue-panel', 'aria-labelledby': 'queue-title', hidden: true },
      this.#count,
      this.#list);
  }

  // entries: [{ id, name, since }], first to last. quiet: no onArrival for the newcomers.
  set(entries, { quiet = false } = {}) {
    const known = new Set(this.#entries.map((e) => e.id));
    this.#entries = Array.isArray(entries) ? entries.filter((e) => e && e.id) : [];
    this.element.hidden = this.#entries.length === 0;
    bindText(this.#count, 'queue.title', { n: this.#entries.length });
    this.#list.replaceChildren(...this.#entries.map((entry, index) => this.#row(entry, index)));
    this.#onCount(this.#entries.length);
    for (const entry of this.#entries) {
      if (!quiet && !known.has(entry.id)) this.#onArrival?.(entry);
    }
    this.tick();
  }

  // Refreshes the "waiting for" times.
  tick() {
    const now = this.#serverNow();
    for (const row of this.#list.children) {
      const since = Number(row.dataset.since);
      const waited = row.querySelector('.queue__waited');
      if (Number.isFinite(since) && waited) bindText(waited, ...waitedWords(now - since));
    }
  }

  #row(entry, index) {
    const name = String(entry.name ?? '');
    const button = (testid, key, run, disabled = false) => h('button', {
      type: 'button', disabled, class: 'button button--small', 'data-testid': testid, t: key,
      ta: { 'aria-label': [`${key}-name`, { name }] }, onclick: () => run(entry.id),
    });
    return h('li', { class: 'queue__entry', 'data-testid': 'queue-entry', 'data-participant': entry.id, dataset: { since: String(entry.since ?? '') } },
      h('span', { class: 'queue__name', text: name }),
      h('span', { class: 'queue__waited' }),
      h('span', { class: 'queue__actions' },
        button('admit', 'queue.admit', this.#actions.admit),
        button('decline', 'queue.decline', this.#actions.decline),
        button('move-to-front', 'queue.move-to-front', this.#actions.moveToFront, index === 0)));
  }
}
