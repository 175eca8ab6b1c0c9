// The host's menu on someone's tile: mute, ask to unmute, remove, make host. A disclosure
// button (aria-expanded) opening a list of buttons; Escape closes it and returns focus.
import { h } from './dom.js';

// actions: { mute(), requestUnmute(), kick(), makeHost() }; name: whose tile it is, so that
// every tile's menu button has its own accessible name ("Host actions for Gleb"), which
// contains the visible "Host actions" (voice control users say what they see).
export function tileMenu(actions, name = '') {
  const items = [
    ['mute-participant', 'host.mute', actions.mute],
    ['request-unmute', 'host.request-unmute', actions.requestUnmute],
    ['kick', 'host.kick', actions.kick],
    ['make-host', 'host.make-host', actions.makeHost],
  ];
  const list = h('div', { class: 'tile-menu__list', hidden: true });
  const toggle = h('button', {
    type: 'button', class: 'button button--small tile-menu__toggle', 'data-testid': 'tile-menu', 'aria-expanded': 'false',
    t: 'host.menu', ta: name ? { title: ['host.menu-for', { name }], 'aria-label': ['host.menu-for', { name }] } : { title: 'host.menu' },
  });
  const setOpen = (open) => {
    list.hidden = !open;
    toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
  };
  toggle.addEventListener('click', () => setOpen(list.hidden));
  for (const [testid, key, run] of items) {
    list.append(h('button', {
      type: 'button', class: 'button button--small', 'data-testid': testid, t: key,
      onclick: () => { setOpen(false); run(); },
    }));
  }
  const element = h('div', { class: 'tile-menu' }, toggle, list);
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !list.hidden) {
      setOpen(false);
      toggle.focus();
    }
  });
  return element;
}
