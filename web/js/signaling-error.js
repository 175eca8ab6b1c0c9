// One error type for everything that can go wrong talking to the server: protocol error
// replies (code from docs/protocol.md) and the client's own transport failures.
export class SignalingError extends Error {
  constructor(code, message = code, field = undefined, retryAfterMs = undefined) {
    super(message);
    this.name = 'SignalingError';
    this.code = code;
    this.field = field;
    // When asking again may work (too-many-attempts, too-many-rooms, room-moving), in ms.
    this.retryAfterMs = retryAfterMs;
    // room-elsewhere: the public URL of the node that holds the room.
    this.url = undefined;
  }

  // An `error` reply as the server sent it.
  static fromReply(reply) {
    const error = new SignalingError(reply.code, reply.message, reply.field,
      Number.isFinite(reply.retryAfterMs) ? reply.retryAfterMs : undefined);
    if (typeof reply.url === 'string') error.url = reply.url;
    return error;
  }
}

// Codes the client produces itself (never sent by the server).
export const CLIENT_CODES = Object.freeze({
  connectFailed: 'connect-failed',
  closed: 'closed',
  timeout: 'timeout',
});
