// The host's menu for one person in the People panel: mute, ask to unmute, remove, make host.
// A disclosure button (aria-expanded) opening its list of buttons in place, inside the panel,
// so every item is visible whatever the screen; Escape closes it and returns focus.
import { h } from './dom.js';

// actions: { mute(), requestUnmute(), kick(), makeHost() }; name: whose menu it is, so that
// every button has its own accessible name ("Host actions for Gleb"), which contains the
// visible "Host actions" (voice control users say what they see).
export function personMenu(actions, name) {
  const items = [
    ['mute-participant', 'host.mute', actions.mute],
    ['request-unmute', 'host.request-unmute', actions.requestUnmute],
    ['kick', 'host.kick', actions.kick],
    ['make-host', 'host.make-host', actions.makeHost],
  ];
  const list = h('div', { class: 'person-menu__list', hidden: true });
  const toggle = h('button', {
    type: 'button', class: 'button button--small person-menu__toggle', 'data-testid': 'person-menu', 'aria-expanded': 'false',
    t: 'host.menu', ta: { title: ['host.menu-for', { name }], 'aria-label': ['host.menu-for', { name }] },
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
  const element = h('div', { class: 'person-menu' }, toggle, list);
  element.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !list.hidden) {
      event.preventDefault(); // closes the menu, not the panel around it
      setOpen(false);
      toggle.focus();
    }
  });
  // Opens the menu and puts focus on its first action (from the tile's "Host actions").
  const reveal = () => {
    setOpen(true);
    list.firstElementChild?.scrollIntoView?.({ block: 'nearest' });
    list.firstElementChild?.focus();
  };
  return { element, reveal };
}
