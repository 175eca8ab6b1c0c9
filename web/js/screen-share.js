// Capturing a screen. getDisplayMedia can hang forever when no picker can be shown, so it is
// always bounded; a refusal is an ordinary outcome, reported as a reason, not an exception.
import { withTimeout, TimeoutError } from './with-timeout.js';

const PICK_TIMEOUT_MS = 60_000;

export const supportsScreenShare = Boolean(navigator.mediaDevices?.getDisplayMedia);

// Resolves { stream } or { reason: 'cancelled' | 'timeout' | 'unsupported' | 'failed' }.
export async function captureScreen(timeoutMs = PICK_TIMEOUT_MS) {
  if (!supportsScreenShare) return { reason: 'unsupported' };
  try {
    const stream = await withTimeout(
      navigator.mediaDevices.getDisplayMedia({ video: true, audio: false }),
      timeoutMs,
      (late) => late.getTracks().forEach((track) => track.stop()));
    return { stream };
  } catch (error) {
    if (error instanceof TimeoutError) return { reason: 'timeout' };
    if (error?.name === 'NotAllowedError' || error?.name === 'AbortError') return { reason: 'cancelled' };
    return { reason: 'failed' };
  }
}
