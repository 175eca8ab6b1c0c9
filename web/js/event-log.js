// The client's own diary of what happened (joins, offers, ICE states, errors), shown in a
// collapsible panel so a participant can tell what went wrong without developer tools.
import { h } from './dom.js';
import { bindText } from './i18n.js';

const MAX_ENTRIES = 300;
// Made once, with the log: the first Intl formatter a page creates costs Chromium tens of
// milliseconds, which would otherwise land on the first entry, "Connecting" right after Join.
const timeFormat = new Intl.DateTimeFormat([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });

export class EventLog {
  #list;
  element;

  constructor() {
    this.#list = h('ol', { class: 'event-log__list' });
    this.element = h('details', { class: 'event-log', 'data-testid': 'event-log' },
      h('summary', { t: 'log.title' }),
      this.#list);
  }

  // key: an i18n key for the text; args: its values (names are inserted as text, never HTML).
  add(key, args = {}, level = 'info') {
    const time = new Date();
    const text = h('span', { class: 'event-log__text' });
    bindText(text, key, args);
    const entry = h('li', { class: `event-log__entry event-log__entry--${level}`, dataset: { key, level } },
      h('time', { datetime: time.toISOString(), text: timeFormat.format(time) }),
      ' ', text);
    this.#list.append(entry);
    while (this.#list.childElementCount > MAX_ENTRIES) this.#list.firstElementChild.remove();
    (level === 'error' ? console.warn : console.debug)(`[parley] ${key}`, args);
  }

  info(key, args) { this.add(key, args, 'info'); }
  warn(key, args) { this.add(key, args, 'warn'); }
  error(key, args) { this.add(key, args, 'error'); }
}
