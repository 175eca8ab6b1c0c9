// A modal question with a confirm and a cancel button, and optionally a short text field (the
// reason for removing someone): a <dialog>, so focus moves into it and Escape cancels — never
// window.confirm/prompt. Resolves with the field's text ('' without a field) when confirmed,
// or null when cancelled.
import { h } from './dom.js';
import { bindText } from './i18n.js';

let nextId = 0;

// title: [key, args]; confirm: key; field: { label: key, maxLength } or undefined.
export function askConfirm({ title, confirm, field, testid }) {
  return new Promise((resolve) => {
    nextId += 1;
    const titleId = `dialog-title-${nextId}`;
    const inputId = `dialog-input-${nextId}`;
    const input = field && h('input', { id: inputId, type: 'text', class: 'input', maxlength: String(field.maxLength), 'data-testid': `${testid}-input` });
    const heading = h('h2', { id: titleId, class: 'card__title' });
    bindText(heading, ...title);
    const dialog = h('dialog', { class: 'card dialog', 'aria-labelledby': titleId, 'data-testid': testid },
      h('form', { method: 'dialog' },
        heading,
        field && h('label', { for: inputId, class: 'label', t: field.label }),
        input,
        h('div', { class: 'dialog__actions' },
          // First, so Enter in the field confirms.
          h('button', { type: 'submit', value: 'confirm', class: 'button button--danger', t: confirm, 'data-testid': `${testid}-confirm` }),
          h('button', { type: 'submit', value: 'cancel', class: 'button', t: 'dialog.cancel', 'data-testid': `${testid}-cancel` }))));
    dialog.addEventListener('close', () => {
      dialog.remove();
      if (dialog.returnValue !== 'confirm') resolve(null);
      else resolve(input ? input.value.trim().slice(0, field.maxLength) : '');
    });
    document.body.append(dialog);
    dialog.showModal();
    (input ?? dialog.querySelector('button')).focus();
  });
}
