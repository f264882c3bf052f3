import { NotifyError } from './errors.js';

export function abortError(signal: AbortSignal): NotifyError {
  return new NotifyError('The operation was aborted', { code: 'aborted', cause: signal.reason });
}

/** Waits `ms`, or rejects with an `aborted` NotifyError as soon as `signal` aborts. */
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
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
