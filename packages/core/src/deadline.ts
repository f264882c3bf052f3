import { isNotifyError, type NotifyError } from './errors.js';
import { abortError, timerDelay, untilAborted } from './sleep.js';

/** A signal that aborts when `parent` does or when `ms` have passed, whichever comes first. */
export interface Deadline {
  signal: AbortSignal;
  /** True once the time ran out (not when the parent aborted). */
  readonly expired: boolean;
  /** The error the signal aborted with when the time ran out. */
  readonly error: NotifyError | undefined;
  /** Stops the timer and lets go of the parent; call it when the work is done. */
  clear(): void;
  /**
   * `promise`, or a rejection with an `aborted` NotifyError as soon as the signal aborts: work that
   * ignores the signal still ends at the deadline. Cheaper than `untilAborted()` on the signal, as
   * a delivery races several steps against one deadline.
   */
  race<T>(promise: Promise<T>): Promise<T>;
}

/**
 * Starts a deadline of `ms` (clamped to what a timer can hold) under `parent`. On expiry the signal
 * aborts with `timeout()`, so that work listening to it stops, and the caller can tell a timeout
 * from an abort by its caller. A timer rather than a clock, so fake timers drive it in tests.
 */
export function deadline(ms: number, parent: AbortSignal | undefined, timeout: () => NotifyError): Deadline {
  const controller = new AbortController();
  let error: NotifyError | undefined;
  // The races in progress: rejected when the signal aborts, without a listener on it for each.
  const racing = new Set<(reason: unknown) => void>();
  const abort = (reason: unknown) => {
    controller.abort(reason);
    for (const reject of racing) reject(abortError(controller.signal));
    racing.clear();
  };
  const onAbort = () => abort(parent!.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    error = timeout();
    abort(error);
  }, timerDelay(ms));
  return {
    signal: controller.signal,
    race<T>(promise: Promise<T>): Promise<T> {
      if (controller.signal.aborted) return Promise.reject(abortError(controller.signal));
      return new Promise<T>((resolve, reject) => {
        racing.add(reject);
        promise.then(
          (value) => {
            racing.delete(reject);
            resolve(value);
          },
          (reason) => {
            racing.delete(reject);
            reject(reason);
          },
        );
      });
    },
    get expired() {
      return error !== undefined && controller.signal.reason === error && isNotifyError(error);
    },
    get error() {
      return error;
    },
    clear() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onAbort);
    },
  };
}

/** A `Deadline` that never expires: `parent`'s signal (or one that never aborts), for work without a time limit. */
export function noDeadline(parent: AbortSignal | undefined): Deadline {
  return {
    signal: parent ?? new AbortController().signal,
    expired: false,
    error: undefined,
    clear() {},
    race: (promise) => untilAborted(promise, parent),
  };
}
