// How long to wait before reconnect attempt n (0, 1, 2, ...): exponential from 0.5 s, capped
// at 8 s, with "equal jitter" (half fixed, half random) so that many clients cut off by the
// same failure don't all come back in the same instant.
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 8000;

export function backoffDelayMs(attempt, random = Math.random) {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
