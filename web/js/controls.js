// The call's control bar: mic, camera and screen toggles (aria-pressed="true" while on), copy
// link and leave.
import { h } from './dom.js';
import { icon } from './icons.js';
import { toggleButton } from './toggle-button.js';

export class Controls {
  element;
  #toggles;

  // actions: { mic(), cam(), screen(), copyLink(), leave() }
  constructor(actions, { screenSupported }) {
    this.#toggles = {
      mic: toggleButton({ testid: 'toggle-mic', iconOn: 'mic', iconOff: 'micOff', onClick: () => actions.mic(),
        keys: { name: 'controls.mic', turnOn: 'controls.mic-on', turnOff: 'controls.mic-off' } }),
      cam: toggleButton({ testid: 'toggle-cam', iconOn: 'cam', iconOff: 'camOff', onClick: () => actions.cam(),
        keys: { name: 'controls.cam', turnOn: 'controls.cam-on', turnOff: 'controls.cam-off' } }),
      screen: toggleButton({ testid: 'toggle-screen', iconOn: 'screen', offStyle: false, onClick: () => actions.screen(),
        keys: { name: 'controls.screen', turnOn: 'controls.screen-start', turnOff: 'controls.screen-stop' } }),
    };
    if (!screenSupported) this.#toggles.screen.button.hidden = true;
    const copy = h('button', { type: 'button', class: 'control', 'data-testid': 'copy-link', onclick: () => actions.copyLink(),
      ta: { title: 'controls.copy-link' } },
    icon('link'), h('span', { class: 'control__label', t: 'controls.copy-link' }));
    const leave = h('button', { type: 'button', class: 'control control--danger', 'data-testid': 'leave', onclick: () => actions.leave(),
      ta: { title: 'controls.leave' } },
    icon('leave'), h('span', { class: 'control__label', t: 'controls.leave' }));
    this.element = h('div', { class: 'controls', role: 'toolbar', ta: { 'aria-label': 'controls.toolbar' } },
      this.#toggles.mic.button, this.#toggles.cam.button, this.#toggles.screen.button, copy, leave);
  }

  set(name, on) {
    this.#toggles[name].set(on);
  }

  setBusy(name, busy) {
    this.#toggles[name].button.disabled = busy;
  }
}
