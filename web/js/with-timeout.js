// Some browser promises can hang forever (getDisplayMedia without a picker, for one).
export class TimeoutError extends Error {
  constructor() {
    super('timed out');
    this.name = 'TimeoutError';
  }
}

// onLate receives the value if it arrives after the timeout, so it can be released.
export function withTimeout(promise, ms, onLate = () => {}) {
  let timedOut = false;
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      reject(new TimeoutError());
    }, ms);
  });
  promise.then((value) => { if (timedOut) onLate(value); }, () => {});
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
