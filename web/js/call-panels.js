// The call's side panels (People, Chat, Host tools, Devices, Diagnostics): one open at a time,
// so they never overlap. Each has a button in the control bar (aria-expanded, a badge for what
// is new while it is closed); open, the panel sits beside the stage on a wide screen and is a
// full-screen sheet on a narrow one (app.css). Its heading takes focus; Escape or its Close
// button shuts it and gives focus back to the button that opened it.
import { h } from './dom.js';
import { bindAttrs, bindText } from './i18n.js';
import { icon } from './icons.js';

export class CallPanels {
  #panels = new Map(); // name -> { button, badge, section, body, onOpen, onClose }
  #open = null;
  #onLayout;
  element;

  // onLayout(): a panel opened or closed (the stage's space changed).
  constructor({ onLayout = () => {} } = {}) {
    this.#onLayout = onLayout;
    this.element = h('div', { class: 'call__side', hidden: true });
    this.element.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || !this.#open || event.defaultPrevented) return;
      event.preventDefault();
      this.close({ focusButton: true });
    });
  }

  // Declares a panel. title: its i18n key (heading and button); iconName: the button's icon;
  // onOpen(): after it opened (e.g. focus a field, start refreshing); onClose(): after it closed.
  // Returns the control-bar button.
  add(name, { title, iconName, testid = name, onOpen = () => {}, onClose = () => {} }) {
    const id = `panel-${name}`;
    // The count is seen on the badge and heard in words ("3 unread") after the button's name.
    const count = h('span', { 'aria-hidden': 'true' });
    const words = h('span', { class: 'visually-hidden' });
    const badge = h('span', { class: 'badge control__badge', 'data-testid': `${testid}-badge`, hidden: true }, count, words);
    const button = h('button', {
      type: 'button', class: 'control', 'data-testid': `${testid}-toggle`, 'aria-expanded': 'false', 'aria-controls': id,
      onclick: () => this.toggle(name),
    }, icon(iconName), h('span', { class: 'control__label', t: title }), badge);
    bindAttrs(button, { title });
    const heading = h('h2', { class: 'side-panel__title', id: `${id}-title`, tabindex: '-1', t: title });
    const body = h('div', { class: 'side-panel__body' });
    const closeButton = h('button', {
      type: 'button', class: 'button button--small side-panel__close', 'data-testid': `${testid}-close`,
      ta: { 'aria-label': 'panel.close', title: 'panel.close' },
      onclick: () => this.close({ focusButton: true }),
    }, icon('close'));
    const section = h('section', {
      class: 'side-panel', id, 'data-testid': `${testid}-panel`, 'aria-labelledby': heading.id, hidden: true,
    }, h('div', { class: 'side-panel__head' }, heading, closeButton), body);
    this.element.append(section);
    this.#panels.set(name, { button, badge, count, words, section, heading, body, onOpen, onClose });
    return button;
  }

  // What the panel shows (a call's content changes with every join).
  setContent(name, ...elements) {
    this.#panels.get(name)?.body.replaceChildren(...elements.filter(Boolean));
  }

  // A panel some people do not get (Host tools for guests): its button goes, and it closes.
  setAvailable(name, available) {
    const panel = this.#panels.get(name);
    if (!panel) return;
    panel.button.hidden = !available;
    if (!available && this.#open === name) this.close();
  }

  // n > 0 shows a count on the button; key: how it is said (e.g. 'chat.unread', with {n}).
  setBadge(name, n, key) {
    const panel = this.#panels.get(name);
    if (!panel) return;
    panel.badge.hidden = !(n > 0);
    panel.count.textContent = n > 0 ? String(n) : '';
    if (n > 0) bindText(panel.words, key, { n });
  }

  isOpen(name) {
    return this.#open === name;
  }

  toggle(name) {
    if (this.#open === name) this.close({ focusButton: true });
    else this.open(name);
  }

  open(name) {
    const panel = this.#panels.get(name);
    if (!panel || panel.button.hidden) return;
    if (this.#open !== name) {
      this.close();
      this.#open = name;
      panel.section.hidden = false;
      panel.button.setAttribute('aria-expanded', 'true');
      this.element.hidden = false;
      this.element.dataset.open = name;
      this.#onLayout();
    }
    panel.heading.focus();
    panel.onOpen();
  }

  close({ focusButton = false } = {}) {
    const name = this.#open;
    if (!name) return;
    const panel = this.#panels.get(name);
    this.#open = null;
    panel.section.hidden = true;
    panel.button.setAttribute('aria-expanded', 'false');
    this.element.hidden = true;
    delete this.element.dataset.open;
    panel.onClose();
    this.#onLayout();
    if (focusButton && !panel.button.hidden) panel.button.focus();
  }
}
