// Waiting for a condition with a bounded poll: the only way these tests wait. A fixed sleep
// would either waste time or flake; a poll returns as soon as the condition holds and fails
// with the last observed value when it never does.

export const DEFAULT_TIMEOUT_MS = 20_000;

// PARLEY_E2E_VERBOSE=1 prints how long each wait took, to find what makes a test slow.
const VERBOSE = Boolean(process.env.PARLEY_E2E_VERBOSE);

const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// Calls `probe` until `accept(value)` is true; returns that value. Errors thrown by `probe`
// count as "not yet" (a page may be mid-navigation) and are reported if time runs out.
export async function pollUntil(probe, accept = Boolean,
                                { timeout = DEFAULT_TIMEOUT_MS, interval = 200, what = 'condition' } = {}) {
  const started = Date.now();
  const deadline = started + timeout;
  let last;
  let lastError;
  for (;;) {
    try {
      last = await probe();
      lastError = undefined;
      if (accept(last)) {
        if (VERBOSE) console.error(`[poll] ${Date.now() - started} ms: ${what}`);
        return last;
      }
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) break;
    await pause(interval);
  }
  const seen = lastError ? `last error: ${lastError.message}` : `last value: ${describe(last)}`;
  throw new Error(`timed out after ${timeout} ms waiting for ${what}; ${seen}`);
}

function describe(value) {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}
