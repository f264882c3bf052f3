import { type BackoffOptions, backoffDefaults, backoffDelay } from './backoff.js';
import { isNotifyError, NotifyError } from './errors.js';
import { abortError, sleep as realSleep, timerDelay, untilAborted } from './sleep.js';
import { addRetryEvent } from './tracing.js';

/** What `onRetry` is told about a failed attempt and the wait before the next one. */
export interface RetryInfo {
  /** The attempt that just failed (1-based). */
  attempt: number;
  /** How long we wait before the next one. */
  delayMs: number;
  error: NotifyError;
}

/** Options of `retry()`: the backoff, how many attempts, and how long a Retry-After may be. */
export interface RetryOptions extends BackoffOptions {
  /** @default 3 */
  maxAttempts?: number;
  /**
   * The longest Retry-After we are willing to wait. A provider asking for more makes `retry()` give
   * up with `rate_limited` instead of holding the caller for minutes.
   * @default 60000
   */
  maxRetryAfterMs?: number;
  /** Stops waiting and sending at once, with an `aborted` NotifyError. */
  signal?: AbortSignal;
  /** Called after each failed attempt that will be retried, before the wait. */
  onRetry?: (info: RetryInfo) => void;
  /** Injectable so that tests never wait for real. Must reject when `signal` aborts, or never settle. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** The defaults of `retry()`: the backoff defaults, 3 attempts, and a Retry-After honoured up to 60 s. */
export const retryDefaults = { ...backoffDefaults, maxAttempts: 3, maxRetryAfterMs: 60_000 } as const;

/** What `retry()` passes to each attempt: its number and the signal that aborts it. */
export interface AttemptContext {
  /** 1-based. */
  attempt: number;
  signal: AbortSignal | undefined;
}

/**
 * Calls `fn` until it succeeds, retrying only errors marked `retryable` (timeouts, connection resets,
 * SMTP 4xx, HTTP 408/429/5xx) with exponential backoff. A `retryAfterMs` on the error is honoured
 * when it is longer than the backoff. On giving up it throws the last error with `attempts` set.
 */
export async function retry<T>(
  fn: (context: AttemptContext) => Promise<T>,
  options: RetryOptions = {},
): Promise<T> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? retryDefaults.maxAttempts);
  const maxRetryAfterMs = options.maxRetryAfterMs ?? retryDefaults.maxRetryAfterMs;
  const { signal } = options;
  const sleep = options.sleep ?? realSleep;

  for (let attempt = 1; ; attempt++) {
    if (signal?.aborted) throw Object.assign(abortError(signal), { attempts: attempt - 1 });
    let error: unknown;
    try {
      return await untilAborted(fn({ attempt, signal }), signal);
    } catch (caught) {
      error = caught;
    }
    if (signal?.aborted) throw Object.assign(abortError(signal), { attempts: attempt });
    if (!isNotifyError(error)) throw error;
    error.attempts = attempt;
    if (!error.retryable || attempt >= maxAttempts) throw error;

    let delayMs = backoffDelay(attempt, options);
    if (error.retryAfterMs !== undefined) {
      // Checked before comparing with the backoff: a provider asking for more than we are willing to
      // wait gets a clear `rate_limited`, whatever the jitter happened to draw.
      if (error.retryAfterMs > maxRetryAfterMs) {
        const giveUp = new NotifyError(
          `Rate limited: the provider asked to wait ${Math.ceil(error.retryAfterMs / 1000)} s, more than maxRetryAfterMs (${maxRetryAfterMs} ms)`,
          // Retryable: not now, but later (a queue retries it after `retryAfterMs`).
          { code: 'rate_limited', retryable: true, retryAfterMs: error.retryAfterMs, cause: error },
        );
        giveUp.attempts = attempt;
        throw giveUp;
      }
      delayMs = Math.max(delayMs, error.retryAfterMs);
    }
    // A timer cannot hold more than 2^31 - 1 ms (Node turns more into 1 ms): with a large
    // maxRetryAfterMs or maxDelayMs, the wait is clamped, never a busy loop.
    delayMs = timerDelay(delayMs);
    options.onRetry?.({ attempt, delayMs, error });
    // On the active span: the notifier's delivery span when a channel retries inside notify().
    addRetryEvent({ attempt, delayMs, code: error.code, retryAfter: error.retryAfterMs !== undefined });
    try {
      await untilAborted(sleep(delayMs, signal), signal);
    } catch (caught) {
      if (isNotifyError(caught)) caught.attempts = attempt;
      throw caught;
    }
  }
}
