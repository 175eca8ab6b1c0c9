// When the room is full (or the host admits people one by one) the server answers `join`
// with `waiting` instead of `joined`: the person waits in line on a screen of its own, is told
// their place and a rough wait, and enters with a `joined` event — or is turned away with
// `declined`. Resolves with that `joined` message; rejects with a SignalingError (declined,
// session-ended, closed, or cancelled when the person leaves the line themselves).
import { h } from './dom.js';
import { bindText } from './i18n.js';
import { announce } from './announcer.js';
import { SignalingError } from './signaling-error.js';
import { debugHandle } from './debug-handle.js';
import * as protocol from './protocol.js';

function placeOf(message) {
  const minutes = Number.isFinite(message.estimatedWaitMs) ? Math.max(1, Math.round(message.estimatedWaitMs / 60_000)) : null;
  return { position: message.position ?? '?', of: message.of ?? '?', minutes };
}

// show(element | null, { admitted }): puts the waiting screen up, or takes it down (admitted:
// because the person was let in, and the call screen follows).
//
// What a screen reader hears: the screen's heading, which takes focus, then the reason and the
// place in line from the page's one live region (announcer.js), and after that each new place,
// once. The screen's own text is not a live region and there is no notice beside it: either
// would say every place a second time.
export function waitInLine({ signaling, firstReply, log, show }) {
  const title = h('h1', { class: 'message-screen__title', tabindex: '-1' });
  const reason = h('p', { class: 'message-screen__text', 'data-testid': 'queue-reason' });
  const place = h('p', { class: 'waiting__place', 'data-testid': 'queue-place' });
  const estimate = h('p', { class: 'waiting__estimate', 'data-testid': 'queue-estimate' });
  const leave = h('button', { type: 'button', class: 'button', 'data-testid': 'leave-line', t: 'waiting.leave' });
  const view = h('section', { class: 'message-screen waiting', 'data-testid': 'waiting' },
    h('div', { class: 'card message-screen__card' },
      title,
      reason,
      place,
      estimate,
      h('div', { class: 'message-screen__actions' }, leave)));

  let said = null; // the place last announced, "position/of"
  const render = (message) => {
    const args = placeOf(message);
    const knock = message.admission === 'knock';
    bindText(title, knock ? 'waiting.title-knock' : 'waiting.title');
    reason.hidden = knock; // the title and the estimate say it: the host lets people in
    if (!knock) bindText(reason, 'waiting.reason-full');
    bindText(place, 'waiting.place', args);
    bindText(estimate, args.minutes === null
      ? (knock ? 'waiting.estimate-host' : 'waiting.estimate-unknown')
      : (args.minutes === 1 ? 'waiting.estimate-one' : 'waiting.estimate'), args);
    const placeNow = `${args.position}/${args.of}`;
    if (said !== null && placeNow !== said) announce('waiting.place', args);
    said = placeNow;
    debugHandle.waiting = { position: message.position ?? null, of: message.of ?? null };
    log.info('log.waiting', args);
  };

  return new Promise((resolve, reject) => {
    const unsubscribe = [];
    const finish = (settle, value, { admitted = false } = {}) => {
      for (const off of unsubscribe) off();
      debugHandle.waiting = null;
      show(null, { admitted });
      settle(value);
    };
    leave.addEventListener('click', () => {
      signaling.request(protocol.leave()).catch(() => {});
      finish(reject, new SignalingError('cancelled'));
    });
    unsubscribe.push(
      signaling.on('queue-position', render),
      signaling.on('joined', (message) => finish(resolve, message, { admitted: true })),
      signaling.on('declined', (message) => finish(reject, new SignalingError(message.reason === 'locked' ? 'room-locked' : 'declined', message.reason))),
      signaling.on('session-ended', (message) => finish(reject, new SignalingError('session-ended', message.reason))),
      signaling.on('close', () => finish(reject, new SignalingError('closed'))),
      // A dropped socket is resumed by Signaling and the wait goes on; only a lost place ends it.
      signaling.on('resume-failed', (error) => finish(reject, error)));
    render(firstReply);
    show(view); // which moves focus to the title: said first, then why and where in line
    announce(firstReply.admission === 'knock' ? 'waiting.knock' : 'waiting.full', placeOf(firstReply));
  });
}
