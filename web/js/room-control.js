// Everything about running the room that sits beside the video: who hosts (badges, the host's
// tile menus and room tools), the line (host only), the countdown and timer warnings, raised
// hands and chat. It listens to the room-control events and sends the host's requests.
import { h, setPressed } from './dom.js';
import { bindText } from './i18n.js';
import { debugHandle } from './debug-handle.js';
import { errorText } from './error-messages.js';
import { ChatPanel } from './chat-panel.js';
import { QueuePanel } from './queue-panel.js';
import { Countdown } from './countdown.js';
import { HostTools } from './host-tools.js';
import { tileMenu } from './tile-menu.js';
import { askKickReason } from './kick-dialog.js';
import { askConfirm } from './confirm-dialog.js';

const TICK_MS = 15_000;

export class RoomControl {
  #signaling;
  #notices;
  #selfId;
  #nameOf;
  #tileOf;
  #participantIds;
  #host = null;
  #hands = [];
  #chat;
  #queue;
  #countdown;
  #hostTools;
  #handButton;
  #roleText;
  #queueTimer;
  element;

  // nameOf(id), tileOf(id) -> Tile | null, participantIds() -> everyone in the room, us included.
  constructor({ signaling, notices, selfId, nameOf, tileOf, participantIds }) {
    this.#signaling = signaling;
    this.#notices = notices;
    this.#selfId = selfId;
    this.#nameOf = nameOf;
    this.#tileOf = tileOf;
    this.#participantIds = participantIds;
    const serverNow = () => Date.now() + (debugHandle.clockOffsetMs || 0);
    this.#chat = new ChatPanel({ send: (text) => this.#request({ type: 'chat', text }, { rethrow: true }) });
    const admit = (id) => this.#request({ type: 'admit', id });
    const decline = (id) => this.#request({ type: 'decline', id });
    this.#queue = new QueuePanel({
      serverNow,
      actions: { admit, decline, moveToFront: (id) => this.#request({ type: 'move-to-front', id }) },
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
    });
    this.#countdown = new Countdown({ serverNow });
    this.#hostTools = new HostTools({
      lock: (locked) => this.#request({ type: 'lock', locked }),
      endSession: async () => {
        const confirmed = await askConfirm({ title: ['host.end-title', {}], confirm: 'host.end-session', testid: 'end-dialog' });
        if (confirmed !== null) this.#request({ type: 'end-session' });
      },
      setTimer: (seconds) => this.#request({ type: 'set-timer', seconds }),
      extendTimer: (seconds) => this.#request({ type: 'extend-timer', seconds }),
    });
    this.#handButton = h('button', {
      type: 'button', class: 'button button--small', 'data-testid': 'toggle-hand', 'aria-pressed': 'false',
      t: 'hand.raise', onclick: () => this.#request({ type: 'hand', raised: !this.#hands.includes(this.#selfId) }),
    });
    this.#roleText = h('p', { class: 'room-panel__role', 'data-testid': 'role', 'aria-live': 'polite' });
    this.element = h('aside', { class: 'room-panel', ta: { 'aria-label': 'room.panel' } },
      h('div', { class: 'room-panel__row' }, this.#countdown.element, this.#handButton),
      this.#roleText,
      this.#hostTools.element,
      this.#queue.element,
      this.#chat.element);
    this.#queueTimer = setInterval(() => this.#queue.tick(), TICK_MS);
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

  // Badges and menus of every tile follow the host and the hands.
  refreshTiles() {
    for (const id of this.#participantIds()) this.refreshTile(id);
    const raised = this.#hands.includes(this.#selfId);
    setPressed(this.#handButton, raised);
    bindText(this.#handButton, raised ? 'hand.lower' : 'hand.raise');
  }

  refreshTile(id) {
    const tile = this.#tileOf(id);
    if (!tile) return;
    tile.setHost(id === this.#host);
    const place = this.#hands.indexOf(id);
    tile.setHand(place < 0 ? null : place + 1);
    tile.setMenu(this.isHost && id !== this.#selfId ? this.#menuFor(id) : null);
  }

  destroy() {
    clearInterval(this.#queueTimer);
    this.#countdown.stop();
  }

  #menuFor(id) {
    return tileMenu({
      mute: () => this.#request({ type: 'mute', id }),
      requestUnmute: () => this.#request({ type: 'request-unmute', id }),
      kick: async () => {
        const reason = await askKickReason(this.#nameOf(id));
        if (reason === null) return;
        this.#request(reason ? { type: 'kick', id, reason } : { type: 'kick', id });
      },
      makeHost: () => this.#request({ type: 'transfer-host', id }),
    }, this.#nameOf(id));
  }

  #setHost(host, { announce }) {
    const was = this.#host;
    this.#host = typeof host === 'string' ? host : null;
    debugHandle.role = this.isHost ? 'host' : 'guest';
    this.#hostTools.setVisible(this.isHost);
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
