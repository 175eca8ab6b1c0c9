// Tells the server which of the others' videos this page shows (`visible-videos`,
// docs/protocol.md), so in a forwarded room it stops sending the ones nobody here sees: those on
// another page of the grid, and everything while the tab is hidden. The stage reports what it
// shows whenever its layout changes; the set goes out when it differs from the last one sent,
// a little later so a burst of layout changes (someone joining, a resize) makes one message.
import * as protocol from './protocol.js';

const DEBOUNCE_MS = 150;

const keyOf = (videos) => videos.map(({ participant, source }) => `${participant}\n${source}`).sort().join('\n\n');

export class VisibleVideos {
  #send;
  #document;
  #debounceMs;
  #timer = null;
  #shown = [];
  #enabled = false;
  #lastSent = null; // keyOf() of what the server was last told; null: nothing yet
  #onVisibility = () => this.#schedule();

  // send(message): hands it to the signaling (false if it could not). doc: what tells whether
  // the tab is hidden (document.visibilityState).
  constructor({ send, doc = globalThis.document, debounceMs = DEBOUNCE_MS }) {
    this.#send = send;
    this.#document = doc;
    this.#debounceMs = debounceMs;
    this.#document?.addEventListener?.('visibilitychange', this.#onVisibility);
  }

  // shown: [{ participant, source: 'camera' | 'screen' }], the others' tiles on screen now.
  setShown(shown) {
    this.#shown = shown;
    this.#schedule();
  }

  // Only in forwarded rooms: in a mesh nobody forwards. Turned on, it tells the server again.
  setEnabled(on) {
    if (this.#enabled === on) return;
    this.#enabled = on;
    this.#lastSent = null;
    this.#schedule();
  }

  destroy() {
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#enabled = false;
    this.#document?.removeEventListener?.('visibilitychange', this.#onVisibility);
  }

  #schedule() {
    if (!this.#enabled || this.#timer !== null) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#flush();
    }, this.#debounceMs);
  }

  #flush() {
    if (!this.#enabled) return;
    const videos = this.#document?.visibilityState === 'hidden' ? [] : this.#shown;
    const key = keyOf(videos);
    if (key === this.#lastSent) return;
    if (this.#send(protocol.visibleVideos(videos))) this.#lastSent = key;
  }
}
