// The call's control bar: mic, camera, screen and raised-hand toggles (aria-pressed="true" while
// on), the side panels' buttons, copy link and leave. Ctrl+D and Ctrl+E (⌘ on a Mac) turn the microphone and the camera on or off
// from anywhere on the call screen, as in the meeting apps people know.
import { h } from './dom.js';
import { icon } from './icons.js';
import { toggleButton } from './toggle-button.js';

const MAC = /Mac|iPhone|iPad/.test(globalThis.navigator?.platform ?? '');

// The combination for `letter` as people read it and as aria-keyshortcuts spells it.
function shortcut(letter) {
  return MAC ? { shown: `⌘${letter}`, aria: `Meta+${letter}` } : { shown: `Ctrl+${letter}`, aria: `Control+${letter}` };
}

export class Controls {
  element;
  #toggles;
  #onKey;

  // actions: { mic(), cam(), screen(), hand(), copyLink(), leave() }; panelButtons: the side
  // panels' buttons (CallPanels), placed between the toggles and the rest.
  constructor(actions, { screenSupported, panelButtons = [] }) {
    this.#toggles = {
      mic: toggleButton({ testid: 'toggle-mic', iconOn: 'mic', iconOff: 'micOff', onClick: () => actions.mic(),
        keys: { name: 'controls.mic', turnOn: 'controls.mic-on-keys', turnOff: 'controls.mic-off-keys' }, shortcut: shortcut('D') }),
      cam: toggleButton({ testid: 'toggle-cam', iconOn: 'cam', iconOff: 'camOff', onClick: () => actions.cam(),
        keys: { name: 'controls.cam', turnOn: 'controls.cam-on-keys', turnOff: 'controls.cam-off-keys' }, shortcut: shortcut('E') }),
      screen: toggleButton({ testid: 'toggle-screen', iconOn: 'screen', offStyle: false, onClick: () => actions.screen(),
        keys: { name: 'controls.screen', turnOn: 'controls.screen-start', turnOff: 'controls.screen-stop' } }),
      hand: toggleButton({ testid: 'toggle-hand', iconOn: 'hand', offStyle: false, onClick: () => actions.hand(),
        keys: { name: 'hand.name', turnOn: 'hand.raise', turnOff: 'hand.lower' } }),
    };
    if (!screenSupported) this.#toggles.screen.button.hidden = true;
    const copy = h('button', { type: 'button', class: 'control', 'data-testid': 'copy-link', onclick: () => actions.copyLink(),
      ta: { title: 'controls.copy-link' } },
    icon('link'), h('span', { class: 'control__label', t: 'controls.copy-link' }));
    const leave = h('button', { type: 'button', class: 'control control--danger', 'data-testid': 'leave', onclick: () => actions.leave(),
      ta: { title: 'controls.leave' } },
    icon('leave'), h('span', { class: 'control__label', t: 'controls.leave' }));
    this.element = h('div', { class: 'controls', role: 'toolbar', ta: { 'aria-label': 'controls.toolbar' } },
      h('div', { class: 'controls__group' },
        this.#toggles.mic.button, this.#toggles.cam.button, this.#toggles.screen.button, this.#toggles.hand.button),
      h('div', { class: 'controls__group' }, ...panelButtons),
      h('div', { class: 'controls__group' }, copy, leave));
    this.#onKey = (event) => {
      if (!this.element.isConnected || event.altKey || event.shiftKey || !(MAC ? event.metaKey : event.ctrlKey)) return;
      const toggle = { d: this.#toggles.mic, e: this.#toggles.cam }[event.key.toLowerCase()];
      if (!toggle || toggle.button.disabled || toggle.button.hidden) return;
      event.preventDefault(); // the browser's own (bookmark, search bar) would take the page away
      toggle.button.click();
    };
    document.addEventListener('keydown', this.#onKey);
  }

  // Puts focus on the first control (the microphone), e.g. from the call's skip button.
  focusFirst() {
    this.#toggles.mic.button.focus();
  }

  destroy() {
    document.removeEventListener('keydown', this.#onKey);
  }

  set(name, on) {
    this.#toggles[name].set(on);
  }

  setBusy(name, busy) {
    this.#toggles[name].button.disabled = busy;
  }
}
