// What is left of the session (and of the current one-at-a-time slot), as mm:ss on the
// server's clock: end times come from the server, so the local clock is corrected by the
// offset measured with ping/pong. Updated every second; not live-announced (the timer
// warnings are), but readable on demand.
import { h } from './dom.js';
import { bindText } from './i18n.js';
import { clockFace } from './durations.js';

const TICK_MS = 1000;

export class Countdown {
  #session;
  #slot;
  #state = { sessionEndsAt: null, slotEndsAt: null };
  #serverNow;
  #timer = null;
  element;

  constructor({ serverNow }) {
    this.#serverNow = serverNow;
    this.#session = h('span', { class: 'countdown__item', 'data-testid': 'countdown-session', hidden: true });
    this.#slot = h('span', { class: 'countdown__item', 'data-testid': 'countdown-slot', hidden: true });
    this.element = h('p', { class: 'countdown', 'data-testid': 'countdown', role: 'timer', 'aria-live': 'off', hidden: true },
      this.#session, this.#slot);
  }

  set(state) {
    this.#state = {
      sessionEndsAt: Number.isFinite(state?.sessionEndsAt) ? state.sessionEndsAt : null,
      slotEndsAt: Number.isFinite(state?.slotEndsAt) ? state.slotEndsAt : null,
    };
    this.#render();
    const running = this.#state.sessionEndsAt !== null || this.#state.slotEndsAt !== null;
    if (running && this.#timer === null) this.#timer = setInterval(() => this.#render(), TICK_MS);
    if (!running) this.stop();
  }

  // Milliseconds left of the session, or null without a session timer.
  get sessionLeftMs() {
    return this.#state.sessionEndsAt === null ? null : this.#state.sessionEndsAt - this.#serverNow();
  }

  stop() {
    clearInterval(this.#timer);
    this.#timer = null;
  }

  #render() {
    const now = this.#serverNow();
    const show = (el, endsAt, key) => {
      el.hidden = endsAt === null;
      if (endsAt !== null) bindText(el, key, { time: clockFace(endsAt - now) });
    };
    show(this.#session, this.#state.sessionEndsAt, 'countdown.session');
    show(this.#slot, this.#state.slotEndsAt, 'countdown.slot');
    this.element.hidden = this.#session.hidden && this.#slot.hidden;
  }
}
