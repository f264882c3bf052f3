import { NotifyError } from './errors.js';

/**
 * The longest wait a timer can hold. Node's `setTimeout` treats anything above 2^31 - 1 ms (about
 * 24.8 days) as 1 ms, with a TimeoutOverflowWarning: a Retry-After of years would turn into a 1 ms
 * loop. Every wait in core is clamped to this.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `ms` as a delay a timer can hold: NaN and negatives are 0, anything above 2^31 - 1 ms is clamped. */
export function timerDelay(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(ms, MAX_TIMER_MS);
}

export function abortError(signal: AbortSignal): NotifyError {
  return new NotifyError('The operation was aborted', { code: 'aborted', cause: signal.reason });
}

/**
 * Waits `ms` (clamped to 2^31 - 1 ms, the most a timer can hold), or rejects with an `aborted`
 * NotifyError as soon as `signal` aborts.
 */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, timerDelay(ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

// Races a promise against the signal, so that an injected sleep that ignores the signal still
// stops at once.
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError(signal));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError(signal));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
