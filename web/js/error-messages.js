// Turns error codes (docs/protocol.md "Errors", plus the client's own) into i18n keys + args,
// so people read words, never codes or stack traces. Codes this client doesn't know yet still
// get a sentence (with the code, for whoever helps them).
const KNOWN = new Set([
  'bad-json', 'bad-message', 'unknown-type', 'missing-field', 'invalid-field',
  'unsupported-version', 'invalid-room', 'invalid-name', 'unsupported-frame', 'not-joined',
  'already-joined', 'room-full', 'target-not-found', 'self-target', 'internal',
  'not-admitted', 'room-locked', 'queue-full', 'no-free-seat', 'not-host', 'password-required',
  'wrong-password', 'token-required', 'invalid-token', 'resume-failed', 'server-full',
  'rate-limited', 'too-many-seats', 'too-many-rooms', 'too-many-attempts',
  'room-elsewhere', 'room-moving',
  'connect-failed', 'closed', 'timeout', 'declined', 'session-ended',
]);

// The room size isn't a field of the room-full error; the server's message states it today
// ("This room is full (6 people)"), so it is taken from there when present, never required.
function roomSizeFrom(error, context) {
  if (Number.isInteger(context.maxRoomSize)) return context.maxRoomSize;
  const match = /\((\d+)\b/.exec(String(error?.message ?? ''));
  return match ? Number(match[1]) : null;
}

export function errorText(error, context = {}) {
  const code = error?.code ?? 'unknown';
  if (code === 'room-full') {
    const max = roomSizeFrom(error, context);
    return max === null ? ['error.room-full-no-size', {}] : ['error.room-full', { max }];
  }
  const args = { code, field: error?.field ?? '—' };
  if (code === 'too-many-attempts' || code === 'too-many-rooms') {
    const seconds = Number.isFinite(error?.retryAfterMs) ? Math.max(1, Math.ceil(error.retryAfterMs / 1000)) : null;
    if (seconds !== null) return [`error.${code}-wait`, { ...args, seconds }];
  }
  return [KNOWN.has(code) ? `error.${code}` : 'error.unknown', args];
}
