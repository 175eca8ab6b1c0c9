// One error type for everything that can go wrong talking to the server: protocol error
// replies (code from docs/protocol.md) and the client's own transport failures.
export class SignalingError extends Error {
  constructor(code, message = code, field = undefined) {
    super(message);
    this.name = 'SignalingError';
    this.code = code;
    this.field = field;
  }
}

// Codes the client produces itself (never sent by the server).
export const CLIENT_CODES = Object.freeze({
  connectFailed: 'connect-failed',
  closed: 'closed',
  timeout: 'timeout',
});
