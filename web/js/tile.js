// One video tile: a participant's camera or screen, with the name (always as text), mic-off
// and camera-off indicators (present but `hidden` unless off), and the speaking highlight.
import { h } from './dom.js';
import { icon } from './icons.js';
import { applySpeaker } from './devices.js';
import { bindAttrs, bindText } from './i18n.js';

function initialOf(name) {
  const first = [...String(name).trim()][0] ?? '?';
  return first.toLocaleUpperCase();
}

export class Tile {
  #nameEl;
  #initialEl;
  #micOff;
  #camOff;
  #hostBadge;
  #handBadge;
  #menuSlot;
  #connection;
  #pin;
  #onAutoplayBlocked;
  #stream = null;
  #trackKey = '';

  // onPin(): the tile's Pin button was pressed.
  constructor({ participantId, kind, self, name, onAutoplayBlocked, onPin = null }) {
    this.participantId = participantId;
    this.kind = kind;
    this.self = self;
    this.#onAutoplayBlocked = onAutoplayBlocked;
    this.video = h('video', { class: 'tile__video', autoplay: true, playsinline: true });
    // Our own audio must never play back to us; a screen share carries no audio here.
    this.video.muted = self || kind === 'screen';
    this.#nameEl = h('span', { class: 'tile__name', 'data-testid': 'tile-name' });
    this.#initialEl = h('span', { class: 'tile__initial' });
    this.#micOff = h('span', { class: 'tile__flag', 'data-testid': 'mic-off', role: 'img', hidden: true,
      ta: { 'aria-label': 'tile.mic-off', title: 'tile.mic-off' } }, icon('micOff'));
    this.#camOff = h('span', { class: 'tile__flag', 'data-testid': 'cam-off', role: 'img', hidden: true,
      ta: { 'aria-label': 'tile.cam-off', title: 'tile.cam-off' } }, icon('camOff'));
    this.#hostBadge = h('span', { class: 'tile__badge tile__badge--host', 'data-testid': 'host-badge', hidden: true, t: 'tile.host' });
    this.#handBadge = h('span', { class: 'tile__badge tile__badge--hand', 'data-testid': 'hand-badge', role: 'img', hidden: true });
    this.#menuSlot = h('div', { class: 'tile__menu-slot' });
    // Pin: keep this tile large on the stage (shown on hover and focus, and while pinned).
    this.#pin = h('button', { type: 'button', class: 'tile__pin', 'data-testid': 'tile-pin', 'aria-pressed': 'false',
      hidden: !onPin, onclick: () => onPin?.() }, icon('pin'));
    this.#connection = h('span', { class: 'tile__connection', 'data-testid': 'tile-connection', role: 'status', hidden: true });
    // A div, not a figure: the grid makes every tile a list item, a role a figure may not take.
    this.element = h('div', {
      class: `tile tile--${kind}${self && kind === 'camera' ? ' tile--mirror' : ''}`,
      'data-testid': 'tile',
      'data-participant': participantId,
      'data-kind': kind,
      'data-self': self ? 'true' : undefined,
    },
    this.video,
    h('div', { class: 'tile__placeholder', 'aria-hidden': 'true' }, this.#initialEl),
    h('div', { class: 'tile__caption' },
      this.#nameEl,
      self && h('span', { class: 'tile__tag', t: 'tile.you' }),
      kind === 'screen' && h('span', { class: 'tile__tag', t: 'tile.screen' }),
      this.#hostBadge,
      this.#handBadge,
      this.#micOff,
      this.#camOff,
      this.#connection),
    this.#pin,
    this.#menuSlot);
    this.setName(name);
    this.#updateVideoPresence(false);
  }

  setName(name) {
    this.#nameEl.textContent = name;
    this.#initialEl.textContent = initialOf(name);
    this.#name = name;
    this.setPinned(this.#pinned);
  }

  #name = '';
  #pinned = false;

  // The Pin button's state; its name says whose tile it pins ("Pin Gleb", "Pin Gleb's screen").
  setPinned(pinned) {
    this.#pinned = pinned;
    this.#pin.setAttribute('aria-pressed', String(pinned));
    const words = this.kind === 'screen' ? 'tile.pin-screen' : 'tile.pin';
    bindAttrs(this.#pin, { 'aria-label': [words, { name: this.#name }], title: [pinned ? 'tile.unpin-hint' : 'tile.pin-hint', { name: this.#name }] });
  }

  // A stream without tracks is not attached: an empty MediaStream never gets a media element
  // past "loading", which would hold back the page's load event. When the stream's tracks
  // change (camera turned on after joining audio-only), it is attached afresh: Chromium
  // doesn't always start rendering a video track added to a stream that is already playing.
  setStream(stream) {
    this.#stream = stream;
    const source = stream && stream.getTracks().length > 0 ? stream : null;
    const trackKey = source ? source.getTracks().map((track) => track.id).sort().join() : '';
    if (this.video.srcObject !== source || this.#trackKey !== trackKey) {
      this.#trackKey = trackKey;
      this.video.srcObject = null;
      this.video.srcObject = source;
      if (source) this.play();
    }
    this.#updateVideoPresence();
  }

  play() {
    this.video.play().catch((error) => {
      if (error?.name === 'NotAllowedError') this.#onAutoplayBlocked?.();
    });
  }

  // Screen tiles have no mic/cam of their own: their indicators stay hidden.
  setMedia({ mic, cam }) {
    if (this.kind !== 'camera') return;
    this.#micOff.hidden = Boolean(mic);
    this.#camOff.hidden = Boolean(cam);
    this.#updateVideoPresence();
  }

  // How the connection to this participant is doing, in words; nothing while all is well.
  // state: an RTCPeerConnection connectionState, or 'away' while their signaling is down.
  setConnection(state) {
    const words = { new: 'tile.conn-connecting', connecting: 'tile.conn-connecting', disconnected: 'tile.conn-unstable',
      failed: 'tile.conn-failed', away: 'tile.conn-away' }[state];
    this.#connection.hidden = !words;
    this.element.dataset.connection = state;
    if (words) bindText(this.#connection, words);
  }

  setHost(isHost) {
    this.#hostBadge.hidden = !isHost;
  }

  // place: 1-based position among raised hands, or null when the hand is down.
  setHand(place) {
    this.#handBadge.hidden = place === null;
    if (place === null) return;
    // Words, not an emoji: not every system has a font for ✋.
    bindText(this.#handBadge, 'tile.hand-short', { place });
    bindAttrs(this.#handBadge, { 'aria-label': ['tile.hand', { place }], title: ['tile.hand', { place }] });
  }

  // The host's per-participant menu, or nothing.
  setMenu(element) {
    if (this.#menuSlot.firstElementChild === element && this.#menuSlot.childElementCount === (element ? 1 : 0)) return;
    this.#menuSlot.replaceChildren(...(element ? [element] : []));
  }

  setSpeaking(on) {
    this.element.classList.toggle('tile--speaking', on);
    if (on) this.element.dataset.speaking = 'true';
    else delete this.element.dataset.speaking;
  }

  setSpeaker(deviceId) {
    if (!this.video.muted) applySpeaker(this.video, deviceId);
  }

  remove() {
    this.video.srcObject = null;
    this.element.remove();
  }

  // Without a live, enabled picture, show the initial instead of a black rectangle.
  #updateVideoPresence() {
    const hasVideo = Boolean(this.#stream?.getVideoTracks().some((t) => t.readyState === 'live'));
    const camOff = this.kind === 'camera' && !this.#camOff.hidden;
    this.element.classList.toggle('tile--no-video', !hasVideo || camOff);
  }
}
