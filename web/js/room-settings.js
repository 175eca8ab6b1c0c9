// "Room settings" on the pre-join screen: how the room is run if this join opens it. The
// server ignores them when the room already exists, so they are tucked away in a <details>.
import { h } from './dom.js';

const ADMISSIONS = ['open', 'knock', 'one-at-a-time'];
const MAX_MINUTES = 24 * 60;

function numberField(id, labelKey, hintKey, { max }) {
  const input = h('input', {
    id, type: 'number', class: 'input', min: '0', max: String(max), step: '1', inputmode: 'numeric',
    'data-testid': id, 'aria-describedby': `${id}-hint`,
  });
  const wrapper = h('div', { class: 'field' },
    h('label', { for: id, class: 'label', t: labelKey }),
    input,
    h('p', { id: `${id}-hint`, class: 'hint', t: hintKey }));
  return { input, wrapper };
}

const wholeNumber = (input) => {
  const value = Math.floor(Number(input.value));
  return Number.isFinite(value) && value > 0 ? value : 0;
};

export class RoomSettingsForm {
  #admission;
  #session;
  #slot;
  #password;
  element;

  constructor() {
    this.#admission = h('select', { id: 'room-admission', class: 'select', 'data-testid': 'room-admission' },
      ADMISSIONS.map((value) => h('option', { value, t: `settings.admission-${value}` })));
    this.#session = numberField('room-session-minutes', 'settings.session-minutes', 'settings.session-hint', { max: MAX_MINUTES });
    this.#slot = numberField('room-slot-seconds', 'settings.slot-seconds', 'settings.slot-hint', { max: MAX_MINUTES * 60 });
    this.#password = h('input', {
      id: 'room-new-password', type: 'password', class: 'input', autocomplete: 'new-password', maxlength: '128',
      'data-testid': 'room-new-password',
    });
    this.#admission.addEventListener('change', () => this.#showSlot());
    this.element = h('details', { class: 'room-settings', 'data-testid': 'room-settings' },
      h('summary', { class: 'room-settings__summary', t: 'settings.title' }),
      h('p', { class: 'hint', t: 'settings.hint' }),
      h('label', { for: 'room-admission', class: 'label', t: 'settings.admission' }),
      this.#admission,
      this.#session.wrapper,
      this.#slot.wrapper,
      h('label', { for: 'room-new-password', class: 'label', t: 'settings.password' }),
      this.#password);
    this.#showSlot();
  }

  // The `settings` of the join message, or undefined when nothing was chosen.
  value() {
    const settings = {};
    if (this.#admission.value !== 'open') settings.admission = this.#admission.value;
    const minutes = Math.min(wholeNumber(this.#session.input), MAX_MINUTES);
    if (minutes > 0) settings.sessionSeconds = minutes * 60;
    if (this.#admission.value === 'one-at-a-time') {
      const seconds = wholeNumber(this.#slot.input);
      if (seconds > 0) settings.slotSeconds = seconds;
    }
    if (this.#password.value) settings.password = this.#password.value;
    return Object.keys(settings).length > 0 ? settings : undefined;
  }

  // Slots exist only in office hours.
  #showSlot() {
    this.#slot.wrapper.hidden = this.#admission.value !== 'one-at-a-time';
  }
}
