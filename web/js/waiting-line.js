// When the room is full (or the host admits people one by one) the server answers `join`
// with `waiting` instead of `joined`: the person waits in line, is told their place, and
// enters with a `joined` event — or is turned away with `declined`. Resolves with that
// `joined` message; rejects with a SignalingError (declined, session-ended, closed, or
// cancelled when the person leaves the line themselves).
import { SignalingError } from './signaling-error.js';

const NOTICE_ID = 'waiting';

function placeArgs(message) {
  const minutes = Number.isFinite(message.estimatedWaitMs) ? Math.max(1, Math.round(message.estimatedWaitMs / 60_000)) : null;
  return { position: message.position ?? '?', of: message.of ?? '?', minutes };
}

export function waitInLine({ signaling, firstReply, notices, log }) {
  return new Promise((resolve, reject) => {
    const unsubscribe = [];
    const finish = (settle, value) => {
      for (const off of unsubscribe) off();
      notices.dismiss(NOTICE_ID);
      settle(value);
    };
    const show = (message) => {
      const args = placeArgs(message);
      notices.show({
        id: NOTICE_ID,
        t: [message.admission === 'knock' ? 'waiting.knock' : 'waiting.full', args],
        detail: args.minutes === null ? undefined : ['waiting.estimate', args],
        dismissible: false,
        actions: [{
          t: 'waiting.leave',
          testid: 'leave-line',
          onClick: () => {
            signaling.request({ type: 'leave' }).catch(() => {});
            finish(reject, new SignalingError('cancelled'));
          },
        }],
      });
      log.info('log.waiting', args);
    };
    unsubscribe.push(
      signaling.on('queue-position', show),
      signaling.on('joined', (message) => finish(resolve, message)),
      signaling.on('declined', (message) => finish(reject, new SignalingError('declined', message.reason))),
      signaling.on('session-ended', (message) => finish(reject, new SignalingError('session-ended', message.reason))),
      signaling.on('close', () => finish(reject, new SignalingError('closed'))));
    show(firstReply);
  });
}
