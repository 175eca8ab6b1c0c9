// The room's chat: the messages (names and text always as text) and an input where Enter
// sends. It lives in the Chat side panel; while that is closed, new messages are counted
// (onUnread, for the badge on the panel's button) and said once, by name, in the announcer.
import { h } from './dom.js';
import { announce } from './announcer.js';
import { currentLanguage } from './i18n.js';

const MAX_SHOWN = 200;
const MAX_LENGTH = 1000;

export class ChatPanel {
  #list;
  #input;
  #shown = false;
  #unread = 0;
  #send;
  #onUnread;
  element;

  // send(text): Promise; rejects when the server refused the message. onUnread(n): the count
  // of messages that came while the panel was closed.
  constructor({ send, onUnread = () => {} }) {
    this.#send = send;
    this.#onUnread = onUnread;
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
    this.element = h('div', { class: 'chat' }, this.#list, form);
  }

  // The panel opened (everything is read now: the count goes, the message box takes focus
  // when asked) or closed.
  setShown(shown, { focus = true } = {}) {
    this.#shown = shown;
    if (!shown) return;
    this.#unread = 0;
    this.#onUnread(0);
    this.#list.lastElementChild?.scrollIntoView?.({ block: 'nearest' });
    if (focus) this.#input.focus();
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
      time && h('time', { class: 'chat__time', datetime: time.toISOString(), text: time.toLocaleTimeString(currentLanguage(), { hour: '2-digit', minute: '2-digit' }) }),
      time && h('span', { class: 'visually-hidden', text: ': ' }),
      h('p', { class: 'chat__text', text: message.text })));
    while (this.#list.childElementCount > MAX_SHOWN) this.#list.firstElementChild.remove();
    this.#list.lastElementChild.scrollIntoView?.({ block: 'nearest' });
    if (countUnread && !this.#shown) {
      this.#unread += 1;
      this.#onUnread(this.#unread);
      announce('announce.chat', { name: String(message.name ?? '') });
    }
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
