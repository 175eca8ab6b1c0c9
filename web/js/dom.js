// A tiny element builder so views read as structure. Strings become text nodes, never HTML:
// participant names and server text can hold markup and must show literally.
import { bindText, bindAttrs } from './i18n.js';

export function h(tag, props = {}, ...children) {
  const el = document.createElement(tag);
  setProps(el, props);
  appendChildren(el, children);
  return el;
}

function setProps(el, props) {
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 't') bindText(el, ...[].concat(value));
    else if (key === 'ta') bindAttrs(el, value);
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'hidden') el.hidden = true;
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else el.setAttribute(key, value === true ? '' : String(value));
  }
}

function appendChildren(el, children) {
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : String(child));
  }
}

// Replaces everything inside `el`; used when switching screens.
export function replaceChildren(el, ...children) {
  el.replaceChildren();
  appendChildren(el, children);
}

export function setPressed(button, on) {
  button.setAttribute('aria-pressed', on ? 'true' : 'false');
}
