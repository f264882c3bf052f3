import { BackToQueue } from './delivery-errors.js';

/**
 * `promise`, or a `BackToQueue` rejection as soon as `closing` aborts: a job that waits for something
 * before its send (the directory) goes back to the queue rather than hold the worker's close.
 */
export function unlessClosing<T>(promise: Promise<T>, closing: AbortSignal): Promise<T> {
  if (closing.aborted) return Promise.reject(new BackToQueue());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new BackToQueue());
    closing.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        closing.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error) => {
        closing.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
