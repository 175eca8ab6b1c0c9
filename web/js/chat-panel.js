// The room's chat: a collapsible panel with the messages (names and text always as text), an
// input where Enter sends, and an unread count on the toggle while the panel is closed.
import { h } from './dom.js';
import { bindAttrs } from './i18n.js';

const MAX_SHOWN = 200;
const MAX_LENGTH = 1000;

export class ChatPanel {
  #list;
  #input;
  #toggle;
  #badge;
  #body;
  #unread = 0;
  #send;
  element;

  // send(text): Promise; rejects when the server refused the message.
  constructor({ send }) {
    this.#send = send;
    // Focusable, so keyboard users can scroll back through it; named for what it holds.
    this.#list = h('ol', { class: 'chat__list', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0',
      ta: { 'aria-label': 'chat.messages' } });
    this.#input = h('input', {
      id: 'chat-input', type: 'text', class: 'input chat__input', maxlength: String(MAX_LENGTH),
      autocomplete: 'off', 'data-testid': 'chat-input',
    });
    const form = h('form', { class: 'chat__form', onsubmit: (event) => { event.preventDefault(); this.#submit(); } },
      h('label', { for: 'chat-input', class: 'visually-hidden', t: 'chat.input' }),
      this.#input,
      h('button', { type: 'submit', class: 'button button--small', 'data-testid': 'chat-send', t: 'chat.send' }));
    this.#badge = h('span', { class: 'badge', 'data-testid': 'chat-unread', hidden: true });
    this.#toggle = h('button', {
      type: 'button', class: 'button button--small', 'aria-expanded': 'true', 'aria-controls': 'chat-body',
      'data-testid': 'chat-toggle', onclick: () => this.setOpen(this.#body.hidden),
    }, h('span', { t: 'chat.title' }), ' ', this.#badge);
    this.#body = h('div', { id: 'chat-body', class: 'chat__body' }, this.#list, form);
    this.element = h('section', { class: 'panel chat', 'data-testid': 'chat-panel', ta: { 'aria-label': 'chat.title' } },
      this.#toggle, this.#body);
  }

  setOpen(open) {
    this.#body.hidden = !open;
    this.#toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
    if (open) {
      this.#unread = 0;
      this.#renderBadge();
      this.#input.focus();
    }
  }

  // history: oldest first, from `joined.chat`.
  reset(history) {
    this.#list.replaceChildren();
    for (const message of history ?? []) this.add(message, { countUnread: false });
  }

  add(message, { countUnread = true } = {}) {
    if (!message || typeof message.text !== 'string') return;
    const time = Number.isFinite(message.at) ? new Date(message.at) : null;
    this.#list.append(h('li', { class: 'chat__message', 'data-testid': 'chat-message', dataset: { from: String(message.from ?? '') } },
      // Read as "name, time: text": the separators are for screen readers only.
      h('span', { class: 'chat__name', text: String(message.name ?? '') }),
      h('span', { class: 'visually-hidden', text: time ? ', ' : ': ' }),
      time && h('time', { class: 'chat__time', datetime: time.toISOString(), text: time.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }) }),
      time && h('span', { class: 'visually-hidden', text: ': ' }),
      h('p', { class: 'chat__text', text: message.text })));
    while (this.#list.childElementCount > MAX_SHOWN) this.#list.firstElementChild.remove();
    this.#list.lastElementChild.scrollIntoView?.({ block: 'nearest' });
    if (countUnread && this.#body.hidden) {
      this.#unread += 1;
      this.#renderBadge();
    }
  }

  #renderBadge() {
    this.#badge.hidden = this.#unread === 0;
    this.#badge.textContent = String(this.#unread);
    if (this.#unread > 0) bindAttrs(this.#toggle, { title: ['chat.unread', { n: this.#unread }] });
  }

  async #submit() {
    const text = this.#input.value.trimEnd();
    if (!text.trim()) return;
    this.#input.value = '';
    try {
      await this.#send(text);
    } catch {
      this.#input.value = text; // keep what was typed so it can be sent again
    }
  }
}
