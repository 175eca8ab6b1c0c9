// getUserMedia fails with DOMException names; people need to know which of a few situations
// they are in and what they can do about it.
export function mediaProblemReason(error) {
  if (!navigator.mediaDevices?.getUserMedia) return 'insecure';
  switch (error?.name) {
    case 'NotAllowedError':
    case 'SecurityError':
    case 'PermissionDeniedError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
    case 'DevicesNotFoundError':
      return 'missing';
    case 'NotReadableError':
    case 'AbortError':
    case 'TrackStartError':
      return 'busy';
    case 'TimeoutError':
      return 'timeout';
    default:
      return 'unknown';
  }
}
