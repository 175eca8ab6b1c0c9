// localStorage can throw (private mode, disabled storage); preferences are a convenience, so a
// failure here must never break the call.
const PREFIX = 'parley.';

export function loadPref(key, fallback = null) {
  try {
    const value = window.localStorage.getItem(PREFIX + key);
    return value === null ? fallback : value;
  } catch {
    return fallback;
  }
}

export function savePref(key, value) {
  try {
    window.localStorage.setItem(PREFIX + key, String(value));
  } catch {
    // Not saved: the app works the same, it just won't remember next time.
  }
}
