// Input rules mirrored from docs/protocol.md ("Validation"), so people get told before the
// server has to refuse.
const ROOM_ID = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;
const CONTROL_CHARS = /\p{Cc}/u;

export const NAME_MAX = 64;

export function isValidRoomId(id) {
  return ROOM_ID.test(id);
}

// People type ids, paste ids, or paste whole links (https://host/r/brave-otter-417?name=x).
export function normalizeRoomInput(text) {
  let value = String(text ?? '').trim();
  const marker = value.lastIndexOf('/r/');
  if (marker !== -1) value = value.slice(marker + 3);
  value = value.split(/[?#/]/, 1)[0];
  try {
    value = decodeURIComponent(value);
  } catch {
    // A broken %-escape is just an invalid id; validation below says so.
  }
  return value.trim().toLowerCase();
}

// null when fine, otherwise an i18n key saying what is wrong.
export function roomIdProblem(id) {
  if (id.length === 0) return 'home.room-error-empty';
  if (isValidRoomId(id)) return null;
  return 'home.room-error-invalid';
}

export function normalizeName(text) {
  return String(text ?? '').trim();
}

export function nameProblem(name) {
  const length = [...name].length;
  if (length === 0) return 'prejoin.name-error-empty';
  if (length > NAME_MAX) return 'prejoin.name-error-long';
  if (CONTROL_CHARS.test(name)) return 'prejoin.name-error-chars';
  return null;
}
