// One error type for everything that can go wrong talking to the server: protocol error
// replies (code from docs/protocol.md) and the client's own transport failures.
export class SignalingError extends Error {
  constructor(code, message = code, field = undefined, retryAfterMs = undefined) {
    super(message);
    this.name = 'SignalingError';
    this.code = code;
    this.field = field;
    // When asking again may work (too-many-attempts, too-many-rooms), in ms.
    this.retryAfterMs = retryAfterMs;
  }
}

// Codes the client produces itself (never sent by the server).
export const CLIENT_CODES = Object.freeze({
  connectFailed: 'connect-failed',
  closed: 'closed',
  timeout: 'timeout',
});
