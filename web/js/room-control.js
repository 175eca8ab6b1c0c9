// Everything about running the room beside the video: who hosts (badges, the People panel
// with the host's actions, the Host tools panel), the line (host only, at the top of People,
// counted on its button), the countdown and timer warnings, raised hands and chat. It listens
// to the room-control events and sends the host's requests.
import { h } from './dom.js';
import { bindText, bindAttrs } from './i18n.js';
import { errorText } from './error-messages.js';
import { ChatPanel } from './chat-panel.js';
import { QueuePanel } from './queue-panel.js';
import { PeoplePanel } from './people-panel.js';
import { Countdown } from './countdown.js';
import { HostTools } from './host-tools.js';
import { personMenu } from './person-menu.js';
import { askKickReason } from './kick-dialog.js';
import { askConfirm } from './confirm-dialog.js';
import { debugHandle } from './debug-handle.js';
import * as protocol from './protocol.js';

const TICK_MS = 15_000;

export class RoomControl {
  #signaling;
  #notices;
  #selfId;
  #nameOf;
  #tileOf;
  #people;
  #panels;
  #controls;
  #host = null;
  #hands = [];
  #chat;
  #queue;
  #peoplePanel;
  #countdown;
  #hostTools;
  #roleText;
  #queueTimer;
  #tileButtons = new Map(); // id -> the host's button on their tile
  statusElement; // the countdown and who hosts, above the stage

  // nameOf(id); tileOf(id) -> Tile | null; people() -> [{ id, name, self, mic, cam, connection }]
  // for everyone in the room, us first; serverNow(): the server's clock; panels: the call's
  // CallPanels (this fills People, Chat and Host tools); controls: the control bar (its hand).
  constructor({ signaling, notices, selfId, nameOf, tileOf, people, serverNow, panels, controls }) {
    this.#signaling = signaling;
    this.#notices = notices;
    this.#selfId = selfId;
    this.#nameOf = nameOf;
    this.#tileOf = tileOf;
    this.#people = people;
    this.#panels = panels;
    this.#controls = controls;
    this.#chat = new ChatPanel({
      send: (text) => this.#request(protocol.chat(text), { rethrow: true }),
      onUnread: (n) => panels.setBadge('chat', n, 'chat.unread'),
    });
    const admit = (id) => this.#request(protocol.admit(id));
    const decline = (id) => this.#request(protocol.decline(id));
    this.#queue = new QueuePanel({
      serverNow,
      actions: { admit, decline, moveToFront: (id) => this.#request(protocol.moveToFront(id)) },
      // A knock is shown (and, being a status notice, said) where the host sees it whatever is
      // open, with the answer right there.
      onArrival: (entry) => this.#notices.show({
        id: `knock-${entry.id}`, t: ['queue.someone-waiting', { name: String(entry.name ?? '') }], testid: 'knock-notice',
        timeoutMs: 60_000,
        actions: [
          { t: 'queue.admit', testid: 'knock-admit', onClick: () => admit(entry.id) },
          { t: 'queue.decline', testid: 'knock-decline', onClick: () => decline(entry.id) },
        ],
      }),
      onCount: (n) => panels.setBadge('people', n, 'people.waiting'),
    });
    this.#peoplePanel = new PeoplePanel();
    this.#countdown = new Countdown({ serverNow });
    this.#hostTools = new HostTools({
      lock: (locked) => this.#request(protocol.lock(locked)),
      endSession: async () => {
        const confirmed = await askConfirm({ title: ['host.end-title', {}], confirm: 'host.end-session', testid: 'end-dialog' });
        if (confirmed !== null) this.#request(protocol.endSession());
      },
      setTimer: (seconds) => this.#request(protocol.setTimer(seconds)),
      extendTimer: (seconds) => this.#request(protocol.extendTimer(seconds)),
    });
    this.#roleText = h('p', { class: 'call__role', 'data-testid': 'role' });
    this.statusElement = h('div', { class: 'call__status' }, this.#countdown.element, this.#roleText);
    panels.setContent('people', this.#queue.element, this.#peoplePanel.element);
    panels.setContent('chat', this.#chat.element);
    panels.setContent('host', this.#hostTools.element);
    if (panels.isOpen('chat')) this.#chat.setShown(true, { focus: false });
    this.#queueTimer = setInterval(() => this.#queue.tick(), TICK_MS);
  }

  // The Chat panel opened or closed.
  chatShown(shown) {
    this.#chat.setShown(shown);
  }

  toggleHand() {
    this.#request(protocol.hand(!this.#hands.includes(this.#selfId)));
  }

  onJoined(joined) {
    this.#chat.reset(joined.chat);
    this.#setState(joined.state);
    this.#hands = Array.isArray(joined.hands) ? joined.hands : [];
    this.#setHost(joined.host ?? (joined.you?.role === 'host' ? this.#selfId : null), { announce: false });
    this.#queue.set(this.isHost ? joined.queue : [], { quiet: true }); // already waiting: the panel shows them
  }

  get isHost() {
    return this.#host !== null && this.#host === this.#selfId;
  }

  // Routes one room-control event; returns false for types it doesn't handle.
  handle(message) {
    switch (message.type) {
      case 'host-changed': this.#setHost(message.host, { announce: true }); return true;
      case 'queue': if (this.isHost) this.#queue.set(message.entries); return true;
      case 'room-state': this.#setState(message.state); return true;
      case 'timer-warning': this.#warn(message); return true;
      case 'chat': this.#chat.add(message.message); return true;
      case 'hands': this.#hands = Array.isArray(message.order) ? message.order : []; this.refreshTiles(); return true;
      default: return false;
    }
  }

  static TYPES = ['host-changed', 'queue', 'room-state', 'timer-warning', 'chat', 'hands'];

  // Badges and menus of every tile, and the People panel, follow the host and the hands.
  refreshTiles() {
    for (const { id } of this.#people()) this.refreshTile(id);
    this.#controls.set('hand', this.#hands.includes(this.#selfId));
    this.refreshPeople();
  }

  refreshTile(id) {
    const tile = this.#tileOf(id);
    if (!tile) return;
    tile.setHost(id === this.#host);
    tile.setHand(this.#handOf(id));
    tile.setMenu(this.isHost && id !== this.#selfId ? this.#tileButton(id) : null);
  }

  // Someone joined, left, or changed their media or connection.
  refreshPeople() {
    const people = this.#people().map((person) => ({ ...person, host: person.id === this.#host, hand: this.#handOf(person.id) }));
    this.#peoplePanel.render(people, this.isHost ? (id) => this.#menuFor(id) : null);
  }

  destroy() {
    clearInterval(this.#queueTimer);
    this.#countdown.stop();
  }

  #handOf(id) {
    const place = this.#hands.indexOf(id);
    return place < 0 ? null : place + 1;
  }

  // On the tile, the host's actions are a button that opens them in the People panel, where
  // every item has room whatever the tile's size.
  #tileButton(id) {
    const made = this.#tileButtons.get(id);
    if (made) return made; // the same button, so a refresh keeps the focus on it
    const button = h('button', {
      type: 'button', class: 'button button--small tile__menu-button', 'data-testid': 'tile-menu', t: 'host.menu',
      onclick: () => {
        this.#panels.open('people');
        this.#peoplePanel.reveal(id);
      },
    });
    bindAttrs(button, { title: ['host.menu-for', { name: this.#nameOf(id) }], 'aria-label': ['host.menu-for', { name: this.#nameOf(id) }] });
    this.#tileButtons.set(id, button);
    return button;
  }

  #menuFor(id) {
    return personMenu({
      mute: () => this.#request(protocol.mute(id)),
      requestUnmute: () => this.#request(protocol.requestUnmute(id)),
      kick: async () => {
        const reason = await askKickReason(this.#nameOf(id));
        if (reason === null) return;
        this.#request(protocol.kick(id, reason));
      },
      makeHost: () => this.#request(protocol.transferHost(id)),
    }, this.#nameOf(id));
  }

  #setHost(host, { announce }) {
    const was = this.#host;
    this.#host = typeof host === 'string' ? host : null;
    debugHandle.role = this.isHost ? 'host' : 'guest';
    this.#panels.setAvailable('host', this.isHost);
    if (!this.isHost) this.#queue.set([]);
    bindText(this.#roleText, this.isHost ? 'room.you-host' : 'room.host-is', { name: this.#nameOf(this.#host ?? '') });
    this.#roleText.hidden = this.#host === null;
    this.refreshTiles();
    if (announce && was !== this.#host) {
      this.#notices.show({
        id: 'host', timeoutMs: 10_000,
        t: this.isHost ? 'notice.you-are-host' : ['notice.host-changed', { name: this.#nameOf(this.#host ?? '') }],
      });
    }
  }

  #setState(state) {
    if (!state || typeof state !== 'object') return;
    this.#countdown.set(state);
    this.#hostTools.setLocked(Boolean(state.locked));
    this.#hostTools.setTimerRunning(Number.isFinite(state.sessionEndsAt));
    debugHandle.roomState = { ...state };
  }

  #warn({ timer, remainingMs }) {
    const minutes = Math.max(1, Math.round((Number(remainingMs) || 0) / 60_000));
    this.#notices.show({
      id: `timer-${timer === 'slot' ? 'slot' : 'session'}`, timeoutMs: 30_000,
      t: [timer === 'slot' ? 'notice.slot-warning' : 'notice.session-warning', { minutes }],
    });
  }

  // Sends a request; a refusal is explained in a notice (and rethrown only when asked, so
  // clicks never leave unhandled rejections behind).
  async #request(message, { rethrow = false } = {}) {
    try {
      return await this.#signaling.request(message);
    } catch (error) {
      this.#notices.show({ id: 'room-control', kind: 'error', t: errorText(error), timeoutMs: 10_000 });
      if (rethrow) throw error;
      return null;
    }
  }
}
