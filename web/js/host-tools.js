// Room-level controls for the host: lock/unlock, end for everyone, set or extend the session
// timer. They live in the Host tools panel, which guests do not get.
import { h } from './dom.js';
import { bindText } from './i18n.js';

const EXTEND_MINUTES = 5;
const MAX_MINUTES = 1440;

function whole(input, max) {
  return Math.max(0, Math.min(max, Math.floor(Number(input.value) || 0)));
}

// actions: { lock(locked), endSession(), setTimer(seconds), extendTimer(seconds) }
export class HostTools {
  #lock;
  #lockStatus;
  #locked = false;
  #extend;
  element;

  constructor(actions) {
    // The button says what a press does ("Lock room" / "Unlock room"); the state is a sentence
    // of its own, not aria-pressed (a toggle's name must not change with its state).
    this.#lock = h('button', {
      type: 'button', class: 'button button--small', 'data-testid': 'lock-room', 'aria-describedby': 'lock-status',
      onclick: () => actions.lock(!this.#locked),
    });
    this.#lockStatus = h('p', { id: 'lock-status', class: 'host-tools__status', role: 'status', 'data-testid': 'lock-status' });
    // Minutes and seconds: a long meeting is set in minutes, a short wrap-up in seconds.
    const minutes = h('input', {
      id: 'timer-minutes', type: 'number', class: 'input input--narrow', min: '0', max: String(MAX_MINUTES), step: '1',
      inputmode: 'numeric', value: '30', 'data-testid': 'timer-minutes',
    });
    const seconds = h('input', {
      id: 'timer-seconds', type: 'number', class: 'input input--narrow', min: '0', max: '59', step: '1',
      inputmode: 'numeric', value: '0', 'data-testid': 'timer-seconds',
    });
    const length = () => Math.min(MAX_MINUTES * 60, whole(minutes, MAX_MINUTES) * 60 + whole(seconds, 59));
    this.#extend = h('button', {
      type: 'button', class: 'button button--small', 'data-testid': 'extend-timer', disabled: true,
      t: ['host.extend-timer', { minutes: EXTEND_MINUTES }], ta: { title: ['host.extend-timer-title', { minutes: EXTEND_MINUTES }] },
      onclick: () => actions.extendTimer(EXTEND_MINUTES * 60),
    });
    const timerForm = h('form', { class: 'host-tools__timer', onsubmit: (event) => { event.preventDefault(); actions.setTimer(length()); } },
      h('fieldset', { class: 'host-tools__fieldset', 'aria-describedby': 'timer-hint' },
        h('legend', { class: 'host-tools__label', t: 'host.timer' }),
        h('span', { class: 'host-tools__pair' },
          h('label', { for: 'timer-minutes', class: 'host-tools__label', t: 'host.timer-minutes' }), minutes),
        h('span', { class: 'host-tools__pair' },
          h('label', { for: 'timer-seconds', class: 'host-tools__label', t: 'host.timer-seconds' }), seconds)),
      h('button', { type: 'submit', class: 'button button--small', 'data-testid': 'set-timer', t: 'host.set-timer' }),
      this.#extend,
      h('p', { id: 'timer-hint', class: 'hint', t: 'host.timer-hint' }));
    this.element = h('div', { class: 'host-tools', 'data-testid': 'host-tools' },
      h('div', { class: 'host-tools__row' },
        this.#lock,
        h('button', { type: 'button', class: 'button button--small button--danger', 'data-testid': 'end-session', t: 'host.end-session', onclick: () => actions.endSession() })),
      this.#lockStatus,
      timerForm);
    this.setLocked(false);
  }

  setLocked(locked) {
    this.#locked = locked;
    this.#lock.dataset.locked = String(locked);
    bindText(this.#lock, locked ? 'host.unlock' : 'host.lock');
    bindText(this.#lockStatus, locked ? 'host.locked-status' : 'host.unlocked-status');
  }

  // Only a running session timer can be extended.
  setTimerRunning(running) {
    this.#extend.disabled = !running;
  }
}
