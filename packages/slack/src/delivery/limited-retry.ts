import {
  isNotifyError,
  type RetryOptions,
  retry,
  retryDefaults,
  type SendOptions,
} from '@pytake/notify-core';
import { createRateLimiter, type RateLimitOptions, type RateSlot } from './rate-limiter.js';

/** The options of a channel that its calls to Slack run under. */
export interface LimitedRetryOptions {
  retry?: RetryOptions;
  rateLimit?: RateLimitOptions | false;
  now: () => number;
}

/**
 * Runs one call to Slack for `key` (a webhook URL, a channel id) under the channel's rate limit and
 * retry policy, and says how many attempts it took. `target` is the redacted destination, for errors.
 */
export type LimitedRetry = <T>(
  key: string,
  target: string,
  attempt: (signal: AbortSignal | undefined) => Promise<T>,
  sendOptions?: SendOptions,
) => Promise<{ value: T; attempts: number }>;

/**
 * What both channels do around a call: one limiter slot per call, taken before its first attempt (a
 * retry is the same message, so it waits for a hold after a 429 but does not queue again behind the
 * others; the send's `severity` may put it ahead of them), core `retry()` for the attempts, and a hold on the key when Slack answers 429.
 *
 * A send's `retry: false` makes one attempt and throws its error as is, and `rateLimit: false` takes
 * no slot and puts no hold: a queue worker retries the job itself and shares one limit in Redis, so
 * a second retry loop or limiter here would multiply its attempts and throttle twice.
 */
export function createLimitedRetry(options: LimitedRetryOptions): LimitedRetry {
  const limiter =
    options.rateLimit === false
      ? undefined
      : createRateLimiter(options.rateLimit ?? {}, {
          now: options.now,
          sleep: options.retry?.sleep,
          maxWaitMs: options.retry?.maxRetryAfterMs ?? retryDefaults.maxRetryAfterMs,
        });
  return async (key, target, attempt, sendOptions = {}) => {
    const signal = sendOptions.signal ?? options.retry?.signal;
    const limit = sendOptions.rateLimit === false ? undefined : limiter;
    let slot: RateSlot | undefined;
    try {
      slot = await limit?.acquire(key, { signal, target, severity: sendOptions.severity });
    } catch (error) {
      if (isNotifyError(error)) error.attempts = 0;
      throw error;
    }
    let attempts = 0;
    const value = await retry(
      async ({ attempt: n, signal: attemptSignal }) => {
        if (n > 1) await limit?.resume(key, { signal: attemptSignal, target });
        attempts++;
        try {
          return await attempt(attemptSignal);
        } catch (error) {
          if (isNotifyError(error) && error.code === 'rate_limited' && error.retryAfterMs !== undefined) {
            limit?.hold(key, error.retryAfterMs);
          }
          throw error;
        } finally {
          // The first attempt is the one its slot was for; Slack had it by now at the latest.
          if (n === 1) slot?.answered();
        }
      },
      { ...options.retry, ...(sendOptions.retry === false ? { maxAttempts: 1 } : {}), signal },
    );
    return { value, attempts };
  };
}
