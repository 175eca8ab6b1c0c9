// The home screen: what Parley is, create a room, or join one by id or pasted link.
import { h } from './dom.js';
import { bindText } from './i18n.js';
import { randomRoomId } from './room-names.js';
import { normalizeRoomInput, roomIdProblem } from './validation.js';
import { roomPath } from './router.js';

export function homeScreen({ onGo }) {
  const input = h('input', {
    id: 'room-input', name: 'room', type: 'text', class: 'input', autocomplete: 'off',
    autocapitalize: 'none', spellcheck: 'false', 'aria-describedby': 'room-hint', 'data-testid': 'room-input',
  });
  const error = h('p', { id: 'room-error', class: 'field-error', hidden: true });

  const showError = (key) => {
    bindText(error, key);
    error.hidden = false;
    input.setAttribute('aria-invalid', 'true');
    input.setAttribute('aria-describedby', 'room-error room-hint');
    input.focus();
  };
  const clearError = () => {
    error.hidden = true;
    input.removeAttribute('aria-invalid');
    input.setAttribute('aria-describedby', 'room-hint');
  };
  input.addEventListener('input', clearError);

  const form = h('form', { class: 'card home__join', novalidate: true, onsubmit: (event) => {
    event.preventDefault();
    const id = normalizeRoomInput(input.value);
    const problem = roomIdProblem(id);
    if (problem) showError(problem);
    else onGo(roomPath(id));
  } },
  h('h2', { class: 'card__title', t: 'home.join-title' }),
  h('label', { for: 'room-input', class: 'label', t: 'home.room-label' }),
  input,
  h('p', { id: 'room-hint', class: 'hint', t: 'home.room-hint' }),
  error,
  h('button', { type: 'submit', class: 'button', 'data-testid': 'join-room', t: 'home.join-button' }));

  return h('section', { class: 'home' },
    h('div', { class: 'home__intro' },
      h('h1', { class: 'home__title', text: 'Parley' }),
      h('p', { class: 'home__tagline', t: 'home.tagline' })),
    h('div', { class: 'home__actions' },
      h('div', { class: 'card home__create' },
        h('h2', { class: 'card__title', t: 'home.create-title' }),
        h('p', { class: 'hint', t: 'home.create-hint' }),
        h('button', { type: 'button', class: 'button button--primary', 'data-testid': 'create-room', t: 'home.create-button',
          onclick: () => onGo(roomPath(randomRoomId())) })),
      form));
}
