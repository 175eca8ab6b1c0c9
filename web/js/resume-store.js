// What a reloaded tab needs to take its place in a call back: the resume token and how the
// person came in (name, devices). Kept in sessionStorage: per tab (a second tab is a second
// person), gone when the tab closes, and per room. Cleared when the stay ends for good (leave,
// kick, session over). Storage may throw (disabled, private mode): then a reload simply
// starts from the pre-join screen, as before.
const PREFIX = 'parley.resume.';

export function loadResume(room) {
  try {
    const value = JSON.parse(window.sessionStorage.getItem(PREFIX + room) ?? 'null');
    return value && typeof value.token === 'string' && typeof value.name === 'string' ? value : null;
  } catch {
    return null;
  }
}

// info: { token, name, audio, video, mic, cam }
export function saveResume(room, info) {
  try {
    window.sessionStorage.setItem(PREFIX + room, JSON.stringify(info));
  } catch {
    // Not kept: a reload will start from the pre-join screen.
  }
}

export function clearResume(room) {
  try {
    window.sessionStorage.removeItem(PREFIX + room);
  } catch {
    // Nothing to clear then.
  }
}
