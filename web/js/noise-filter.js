// Browser extensions inject scripts that throw into our page (e.g. "Could not establish
// connection. Receiving end does not exist."). Those are not ours: keep them out of the log.
// Our own uncaught errors are logged, never shown as raw stack traces.
function isOurs(url) {
  if (!url) return false;
  try {
    return new URL(url, window.location.href).origin === window.location.origin;
  } catch {
    return false;
  }
}

function stackIsOurs(reason) {
  const stack = typeof reason?.stack === 'string' ? reason.stack : '';
  return stack.includes(window.location.origin);
}

export function installNoiseFilter(log) {
  window.addEventListener('error', (event) => {
    if (!isOurs(event.filename)) return;
    log.error('log.uncaught', { message: String(event.message ?? '') });
  });
  window.addEventListener('unhandledrejection', (event) => {
    if (!stackIsOurs(event.reason)) return;
    log.error('log.uncaught', { message: String(event.reason?.message ?? event.reason) });
  });
}
