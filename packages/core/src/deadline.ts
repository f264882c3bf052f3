import { isNotifyError, type NotifyError } from './errors.js';
import { timerDelay } from './sleep.js';

/** A signal that aborts when `parent` does or when `ms` have passed, whichever comes first. */
export interface Deadline {
  signal: AbortSignal;
  /** True once the time ran out (not when the parent aborted). */
  readonly expired: boolean;
  /** The error the signal aborted with when the time ran out. */
  readonly error: NotifyError | undefined;
  /** Stops the timer and lets go of the parent; call it when the work is done. */
  clear(): void;
}

/**
 * Starts a deadline of `ms` (clamped to what a timer can hold) under `parent`. On expiry the signal
 * aborts with `timeout()`, so that work listening to it stops, and the caller can tell a timeout
 * from an abort by its caller. A timer rather than a clock, so fake timers drive it in tests.
 */
export function deadline(ms: number, parent: AbortSignal | undefined, timeout: () => NotifyError): Deadline {
  const controller = new AbortController();
  let error: NotifyError | undefined;
  const onAbort = () => controller.abort(parent!.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onAbort, { once: true });
  const timer = setTimeout(() => {
    error = timeout();
    controller.abort(error);
  }, timerDelay(ms));
  return {
    signal: controller.signal,
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
  return { signal: parent ?? new AbortController().signal, expired: false, error: undefined, clear() {} };
}
