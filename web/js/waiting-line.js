// When the room is full (or the host admits people one by one) the server answers `join`
// with `waiting` instead of `joined`: the person waits in line on a screen of its own, is told
// their place and a rough wait, and enters with a `joined` event — or is turned away with
// `declined`. Resolves with that `joined` message; rejects with a SignalingError (declined,
// session-ended, closed, or cancelled when the person leaves the line themselves).
import { h } from './dom.js';
import { bindText } from './i18n.js';
import { SignalingError } from './signaling-error.js';
import { debugHandle } from './debug-handle.js';
import * as protocol from './protocol.js';

const NOTICE_ID = 'waiting';

function placeOf(message) {
  const minutes = Number.isFinite(message.estimatedWaitMs) ? Math.max(1, Math.round(message.estimatedWaitMs / 60_000)) : null;
  return { position: message.position ?? '?', of: message.of ?? '?', minutes };
}

// show(element | null): puts the waiting screen up, or takes it down.
export function waitInLine({ signaling, firstReply, notices, log, show }) {
  const title = h('h1', { class: 'message-screen__title', tabindex: '-1' });
  const place = h('p', { class: 'waiting__place', 'data-testid': 'queue-place' });
  const estimate = h('p', { class: 'waiting__estimate', 'data-testid': 'queue-estimate' });
  const leave = h('button', { type: 'button', class: 'button', 'data-testid': 'leave-line', t: 'waiting.leave' });
  const view = h('section', { class: 'message-screen waiting', 'data-testid': 'waiting' },
    h('div', { class: 'card message-screen__card' },
      title,
      h('div', { role: 'status', 'aria-live': 'polite' }, place, estimate),
      h('div', { class: 'message-screen__actions' }, leave)));

  const render = (message) => {
    const args = placeOf(message);
    bindText(title, message.admission === 'knock' ? 'waiting.title-knock' : 'waiting.title');
    bindText(place, 'waiting.place', args);
    bindText(estimate, args.minutes === null
      ? (message.admission === 'knock' ? 'waiting.estimate-host' : 'waiting.estimate-unknown')
      : (args.minutes === 1 ? 'waiting.estimate-one' : 'waiting.estimate'), args);
    // Also a notice, so the reason for waiting is announced wherever focus is.
    notices.show({ id: NOTICE_ID, t: [message.admission === 'knock' ? 'waiting.knock' : 'waiting.full', args], dismissible: false });
    debugHandle.waiting = { position: message.position ?? null, of: message.of ?? null };
    log.info('log.waiting', args);
  };

  return new Promise((resolve, reject) => {
    const unsubscribe = [];
    const finish = (settle, value) => {
      for (const off of unsubscribe) off();
      debugHandle.waiting = null;
      notices.dismiss(NOTICE_ID);
      show(null);
      settle(value);
    };
    leave.addEventListener('click', () => {
      signaling.request(protocol.leave()).catch(() => {});
      finish(reject, new SignalingError('cancelled'));
    });
    unsubscribe.push(
      signaling.on('queue-position', render),
      signaling.on('joined', (message) => finish(resolve, message)),
      signaling.on('declined', (message) => finish(reject, new SignalingError(message.reason === 'locked' ? 'room-locked' : 'declined', message.reason))),
      signaling.on('session-ended', (message) => finish(reject, new SignalingError('session-ended', message.reason))),
      signaling.on('close', () => finish(reject, new SignalingError('closed'))),
      // A dropped socket is resumed by Signaling and the wait goes on; only a lost place ends it.
      signaling.on('resume-failed', (error) => finish(reject, error)));
    render(firstReply);
    show(view);
    title.focus({ preventScroll: true });
  });
}
