// An on/off button (mic, camera, screen): aria-pressed="true" while the thing is on. The
// accessible name stays the same — aria-pressed carries the state — while the icon and the
// tooltip follow it (the tooltip says what a press will do).
import { h, setPressed } from './dom.js';
import { bindAttrs, bindText } from './i18n.js';
import { icon } from './icons.js';

// keys: { name, turnOn, turnOff }; offStyle: whether "off" is shown as a warning colour;
// shortcut: { shown: 'Ctrl+D', aria: 'Control+D' } when a key combination presses it too (the
// tooltip names it through the turnOn/turnOff strings' {keys}).
export function toggleButton({ testid, iconOn, iconOff = iconOn, keys, onClick, offStyle = true, shortcut = null }) {
  const on = icon(iconOn);
  const off = icon(iconOff);
  const label = h('span', { class: 'control__label' });
  const button = h('button', {
    type: 'button', class: 'control control--toggle', 'data-testid': testid, 'aria-pressed': 'false', onclick: onClick,
  }, on, off, label);
  bindText(label, keys.name);
  if (shortcut) button.setAttribute('aria-keyshortcuts', shortcut.aria);
  const args = { keys: shortcut?.shown ?? '' };

  const set = (isOn) => {
    setPressed(button, isOn);
    button.classList.toggle('control--off', offStyle && !isOn);
    // SVG elements have no `hidden` property; the attribute works for both.
    on.toggleAttribute('hidden', !isOn && iconOff !== iconOn);
    off.toggleAttribute('hidden', isOn || iconOff === iconOn);
    bindAttrs(button, { 'aria-label': keys.name, title: [isOn ? keys.turnOff : keys.turnOn, args] });
  };
  set(false);
  return { button, set };
}
