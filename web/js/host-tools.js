// Room-level controls for the host: lock/unlock, end for everyone, set or extend the session
// timer. Hidden for guests.
import { h, setPressed } from './dom.js';
import { bindText } from './i18n.js';

const EXTEND_MINUTES = 5;

// actions: { lock(locked), endSession(), setTimer(seconds), extendTimer(seconds) }
export class HostTools {
  #lock;
  #minutes;
  element;

  constructor(actions) {
    this.#lock = h('button', {
      type: 'button', class: 'button button--small', 'data-testid': 'lock-room', 'aria-pressed': 'false',
      onclick: () => actions.lock(this.#lock.getAttribute('aria-pressed') !== 'true'),
    });
    this.#minutes = h('input', {
      id: 'timer-minutes', type: 'number', class: 'input input--narrow', min: '0', max: '1440', step: '1', value: '30',
      'data-testid': 'timer-minutes',
    });
    const minutes = () => Math.max(0, Math.min(1440, Math.floor(Number(this.#minutes.value) || 0)));
    const timerForm = h('form', { class: 'host-tools__timer', onsubmit: (event) => { event.preventDefault(); actions.setTimer(minutes() * 60); } },
      h('label', { for: 'timer-minutes', class: 'host-tools__label', t: 'host.timer-minutes' }),
      this.#minutes,
      h('button', { type: 'submit', class: 'button button--small', 'data-testid': 'set-timer', t: 'host.set-timer' }),
      h('button', {
        type: 'button', class: 'button button--small', 'data-testid': 'extend-timer', t: ['host.extend-timer', { minutes: EXTEND_MINUTES }],
        onclick: () => actions.extendTimer(EXTEND_MINUTES * 60),
      }));
    this.element = h('section', { class: 'panel host-tools', 'data-testid': 'host-tools', ta: { 'aria-label': 'host.tools' }, hidden: true },
      h('div', { class: 'host-tools__row' },
        this.#lock,
        h('button', { type: 'button', class: 'button button--small button--danger', 'data-testid': 'end-session', t: 'host.end-session', onclick: () => actions.endSession() })),
      timerForm);
    this.setLocked(false);
  }

  setVisible(visible) {
    this.element.hidden = !visible;
  }

  setLocked(locked) {
    setPressed(this.#lock, locked);
    bindText(this.#lock, locked ? 'host.unlock' : 'host.lock');
  }
}
