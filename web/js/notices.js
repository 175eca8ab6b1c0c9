// Plain-words notices and banners. Each has an id, so showing the same kind of notice again
// replaces it instead of stacking; errors use role="alert", the rest role="status".
import { h } from './dom.js';

export class Notices {
  #container;
  #timers = new Map();

  constructor(container) {
    this.#container = container;
  }

  // t / detail: i18n key or [key, args]; actions: [{ t, onClick, testid? }];
  // timeoutMs: dismiss by itself after that long (0 = stays); testid: a data-testid of its own
  // (default "notice").
  show({ id, t, detail, kind = 'info', actions = [], timeoutMs = 0, dismissible = true, testid = 'notice' }) {
    this.dismiss(id);
    const isError = kind === 'error';
    const notice = h('div', {
      class: `notice notice--${kind}`,
      role: isError ? 'alert' : 'status',
      'data-testid': testid,
      dataset: { noticeId: id, kind },
    },
    h('p', { class: 'notice__text', t }),
    detail && h('p', { class: 'notice__detail', t: detail }),
    h('div', { class: 'notice__actions' },
      actions.map((action) => h('button', {
        type: 'button',
        class: 'button button--small',
        t: action.t,
        'data-testid': action.testid,
        onclick: () => { this.dismiss(id); action.onClick(); },
      })),
      dismissible && h('button', {
        type: 'button',
        class: 'button button--icon notice__close',
        ta: { 'aria-label': 'notice.dismiss', title: 'notice.dismiss' },
        text: '×',
        onclick: () => this.dismiss(id),
      })));
    this.#container.append(notice);
    if (timeoutMs > 0) this.#timers.set(id, setTimeout(() => this.dismiss(id), timeoutMs));
    return () => this.dismiss(id);
  }

  dismiss(id) {
    clearTimeout(this.#timers.get(id));
    this.#timers.delete(id);
    for (const el of this.#container.querySelectorAll('.notice')) {
      if (el.dataset.noticeId === id) el.remove();
    }
  }

  clear() {
    for (const id of [...this.#timers.keys()]) this.dismiss(id);
    this.#container.replaceChildren();
  }
}
