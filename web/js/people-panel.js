// Everyone in the call, ourselves first: name, "(you)", host, raised hand, microphone and
// camera (an icon with words, never colour alone) and a connection that is not well; for the
// host, each other person's actions in a menu that opens in place. Rows are kept, not rebuilt,
// so an open menu and the focus in it survive someone else joining.
import { h } from './dom.js';
import { bindText, bindAttrs } from './i18n.js';
import { icon } from './icons.js';

const CONNECTION_WORDS = { away: 'tile.conn-away', failed: 'tile.conn-failed', disconnected: 'tile.conn-unstable' };

export class PeoplePanel {
  #list;
  #count;
  #rows = new Map(); // id -> { li, name, tags, mic, cam, hand, connection, menuSlot, menu }
  element;

  constructor() {
    this.#count = h('p', { class: 'people__count', 'data-testid': 'people-count' });
    this.#list = h('ul', { class: 'people__list', 'data-testid': 'people-list' });
    this.element = h('div', { class: 'people' }, this.#count, this.#list);
  }

  // people: [{ id, name, self, host, hand (1-based place | null), mic, cam, connection }], in
  // the order shown; menuFor(id): { element, reveal() } for the host's actions, or null.
  render(people, menuFor) {
    bindText(this.#count, 'people.count', { n: people.length });
    const keep = new Set(people.map((person) => person.id));
    for (const [id, row] of this.#rows) {
      if (!keep.has(id)) {
        row.li.remove();
        this.#rows.delete(id);
      }
    }
    people.forEach((person, index) => {
      const row = this.#rows.get(person.id) ?? this.#row(person.id);
      this.#fill(row, person, menuFor);
      if (this.#list.children[index] !== row.li) this.#list.insertBefore(row.li, this.#list.children[index] ?? null);
    });
  }

  // Opens `id`'s host menu and puts focus in it; false when there is none.
  reveal(id) {
    const menu = this.#rows.get(id)?.menu;
    if (!menu) return false;
    menu.reveal();
    return true;
  }

  #row(id) {
    const flag = (testid, iconName) => h('span', { class: 'person__flag', 'data-testid': testid, role: 'img' }, icon(iconName));
    const row = {
      name: h('span', { class: 'person__name', 'data-testid': 'person-name' }),
      you: h('span', { class: 'person__tag', t: 'tile.you', hidden: true }),
      host: h('span', { class: 'tile__badge tile__badge--host', 'data-testid': 'person-host', t: 'tile.host', hidden: true }),
      hand: h('span', { class: 'tile__badge tile__badge--hand', 'data-testid': 'person-hand', role: 'img', hidden: true }),
      mic: flag('person-mic', 'mic'),
      cam: flag('person-cam', 'cam'),
      connection: h('span', { class: 'person__connection', 'data-testid': 'person-connection', hidden: true }),
      menuSlot: h('div', { class: 'person__menu' }),
      menu: null,
      menuFor: null,
    };
    row.li = h('li', { class: 'person', 'data-testid': 'person', 'data-participant': id },
      h('div', { class: 'person__line' }, row.name, row.you, row.host, row.hand,
        h('span', { class: 'person__flags' }, row.mic, row.cam)),
      row.connection,
      row.menuSlot);
    this.#rows.set(id, row);
    return row;
  }

  #fill(row, person, menuFor) {
    row.name.textContent = person.name;
    row.you.hidden = !person.self;
    row.host.hidden = !person.host;
    row.hand.hidden = !person.hand;
    if (person.hand) {
      bindText(row.hand, 'tile.hand-short', { place: person.hand });
      bindAttrs(row.hand, { 'aria-label': ['tile.hand', { place: person.hand }], title: ['tile.hand', { place: person.hand }] });
    }
    this.#setFlag(row.mic, person.mic, 'mic', 'micOff', 'people.mic-on', 'tile.mic-off');
    this.#setFlag(row.cam, person.cam, 'cam', 'camOff', 'people.cam-on', 'tile.cam-off');
    const words = CONNECTION_WORDS[person.connection];
    row.connection.hidden = !words;
    if (words) bindText(row.connection, words);
    // The menu is made once per person and kept while it is wanted (an open one stays open).
    const wanted = Boolean(menuFor) && !person.self;
    if (wanted && !row.menu) {
      row.menu = menuFor(person.id);
      row.menuSlot.replaceChildren(row.menu?.element ?? '');
    } else if (!wanted && row.menu) {
      row.menu = null;
      row.menuSlot.replaceChildren();
    }
  }

  #setFlag(flag, on, iconOn, iconOff, wordsOn, wordsOff) {
    if (flag.dataset.on === String(on)) return;
    flag.dataset.on = String(on);
    flag.classList.toggle('person__flag--off', !on);
    flag.replaceChildren(icon(on ? iconOn : iconOff));
    bindAttrs(flag, { 'aria-label': on ? wordsOn : wordsOff, title: on ? wordsOn : wordsOff });
  }
}
