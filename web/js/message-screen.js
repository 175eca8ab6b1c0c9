// A simple full-screen message with actions: "You left", "This link isn't valid".
import { h } from './dom.js';

// actions: [{ t, onClick, primary?, testid? }]
export function messageScreen({ title, text, actions, testid }) {
  return h('section', { class: 'message-screen', 'data-testid': testid },
    h('div', { class: 'card message-screen__card' },
      h('h1', { class: 'message-screen__title', tabindex: '-1', t: title }),
      text && h('p', { class: 'message-screen__text', t: text }),
      h('div', { class: 'message-screen__actions' },
        actions.map((action) => h('button', {
          type: 'button',
          class: action.primary ? 'button button--primary' : 'button',
          'data-testid': action.testid,
          t: action.t,
          onclick: action.onClick,
        })))));
}
