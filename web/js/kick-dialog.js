// Asks the host for an optional reason before removing someone. Resolves with the reason
// ('' for none) or null when cancelled.
import { askConfirm } from './confirm-dialog.js';

const MAX_REASON = 200;

export function askKickReason(name) {
  return askConfirm({
    title: ['host.kick-title', { name }],
    confirm: 'host.kick-confirm',
    field: { label: 'host.kick-reason', maxLength: MAX_REASON },
    testid: 'kick-dialog',
  });
}
