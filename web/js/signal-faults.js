// A test switch that breaks the signaling chain on purpose, so a browser test can check that
// the diagnostics panel names the broken step. Off unless a test turns it on through the debug
// handle: window.parley.faults.dropOutgoing(['answer']) makes this page silently drop every
// answer (or offer, candidate) it would send to the other participants. Nothing in the UI
// reaches it.
import { debugHandle } from './debug-handle.js';

const dropped = new Set(); // message types this page does not send

debugHandle.faults = Object.freeze({
  dropOutgoing(types) {
    dropped.clear();
    for (const type of types ?? []) dropped.add(String(type));
  },
});

// The signaling as the peer connections see it: the same send/request, minus what a test
// chose to drop. A dropped request "succeeds" so the sender carries on as if it had gone out.
export function signalingWithFaults(signaling) {
  return {
    send: (message) => (dropped.has(message.type) ? true : signaling.send(message)),
    request: (message, timeoutMs) => (dropped.has(message.type)
      ? Promise.resolve({ type: 'ok' })
      : signaling.request(message, timeoutMs)),
  };
}
