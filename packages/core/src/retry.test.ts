import { describe, expect, it } from 'vitest';
import { isNotifyError, NotifyError } from './errors.js';
import { type RetryInfo, retry } from './retry.js';

const transient = (message = 'connection reset', retryAfterMs?: number) =>
  new NotifyError(message, { code: 'transient', retryable: true, retryAfterMs });

/** Records the waits instead of waiting, so that no test waits for real. */
function fakeSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

/** A function that fails with the given errors in turn, then returns 'ok'. */
function failing(...errors: unknown[]) {
  const calls: number[] = [];
  return {
    calls,
    fn: async ({ attempt }: { attempt: number }) => {
      calls.push(attempt);
      if (errors.length) throw errors.shift();
      return 'ok';
    },
  };
}

async function rejection(promise: Promise<unknown>): Promise<NotifyError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isNotifyError(error)) throw new Error(`expected a NotifyError, got ${String(error)}`);
  return error;
}

describe('retry()', () => {
  describe('backoff', () => {
    it('retries a retryable error after 1 s and 2 s, then delivers', async () => {
      const { waits, sleep } = fakeSleep();
      const { fn, calls } = failing(transient(), transient());
      await expect(retry(fn, { jitter: 'none', sleep })).resolves.toBe('ok');
      expect(calls).toEqual([1, 2, 3]);
      expect(waits).toEqual([1000, 2000]);
    });

    it('waits 1 s, 2 s, 4 s between four attempts', async () => {
      const { waits, sleep } = fakeSleep();
      const { fn } = failing(transient(), transient(), transient());
      await retry(fn, { jitter: 'none', maxAttempts: 4, sleep });
      expect(waits).toEqual([1000, 2000, 4000]);
    });

    it('draws full jitter from the injected random', async () => {
      const { waits, sleep } = fakeSleep();
      const { fn } = failing(transient(), transient());
      await retry(fn, { random: () => 0.25, sleep });
      expect(waits).toEqual([250, 500]);
    });

    it('calls onRetry with the failed attempt, the wait and the error', async () => {
      const { sleep } = fakeSleep();
      const first = transient('first');
      const second = transient('second');
      const seen: RetryInfo[] = [];
      await retry(failing(first, second).fn, { jitter: 'none', sleep, onRetry: (info) => seen.push(info) });
      expect(seen).toEqual([
        { attempt: 1, delayMs: 1000, error: first },
        { attempt: 2, delayMs: 2000, error: second },
      ]);
    });
  });

  describe('giving up', () => {
    it('throws the last error annotated with the number of attempts', async () => {
      const { sleep } = fakeSleep();
      const last = transient('third');
      const { fn, calls } = failing(transient('first'), transient('second'), last);
      const error = await rejection(retry(fn, { jitter: 'none', sleep }));
      expect(error).toBe(last);
      expect(error.attempts).toBe(3);
      expect(calls).toEqual([1, 2, 3]);
    });

    it('fails at once on a non-retryable error, with attempts 1', async () => {
      const { waits, sleep } = fakeSleep();
      const auth = new NotifyError('Invalid login', { code: 'auth' });
      const { fn, calls } = failing(auth);
      const error = await rejection(retry(fn, { sleep }));
      expect(error).toBe(auth);
      expect(error.attempts).toBe(1);
      expect(calls).toEqual([1]);
      expect(waits).toEqual([]);
    });

    it('does not retry an error that is not a NotifyError', async () => {
      const { sleep } = fakeSleep();
      const bug = new TypeError('x is not a function');
      const { fn, calls } = failing(bug);
      await expect(retry(fn, { sleep })).rejects.toBe(bug);
      expect(calls).toEqual([1]);
    });

    it('makes one attempt when maxAttempts is 1', async () => {
      const { sleep } = fakeSleep();
      const { fn, calls } = failing(transient());
      const error = await rejection(retry(fn, { maxAttempts: 1, sleep }));
      expect(error.attempts).toBe(1);
      expect(calls).toEqual([1]);
    });
  });

  describe('Retry-After', () => {
    it('waits for Retry-After when it is longer than the backoff', async () => {
      const { waits, sleep } = fakeSleep();
      const { fn } = failing(transient('429', 7000), transient('429', 500));
      await expect(retry(fn, { jitter: 'none', sleep })).resolves.toBe('ok');
      // 7 s beats the 1 s backoff; 500 ms does not beat the 2 s backoff.
      expect(waits).toEqual([7000, 2000]);
    });

    it('waits up to maxRetryAfterMs exactly', async () => {
      const { waits, sleep } = fakeSleep();
      await retry(failing(transient('429', 60_000)).fn, { sleep });
      expect(waits).toEqual([60_000]);
    });

    it('gives up with rate_limited when Retry-After is beyond maxRetryAfterMs', async () => {
      const { waits, sleep } = fakeSleep();
      const limited = transient('429 Too Many Requests', 120_000);
      const { fn, calls } = failing(limited);
      const error = await rejection(retry(fn, { sleep }));
      expect(error.code).toBe('rate_limited');
      // Retryable later, by whoever can wait that long (a queue), unlike a permanent failure.
      expect(error.retryable).toBe(true);
      expect(error.retryAfterMs).toBe(120_000);
      expect(error.attempts).toBe(1);
      expect(error.cause).toBe(limited);
      expect(error.message).toBe(
        'Rate limited: the provider asked to wait 120 s, more than maxRetryAfterMs (60000 ms)',
      );
      expect(calls).toEqual([1]);
      expect(waits).toEqual([]);
    });

    it('gives up with rate_limited even when the backoff itself would be longer', async () => {
      const { sleep } = fakeSleep();
      const error = await rejection(
        retry(failing(transient('429', 5000)).fn, {
          jitter: 'none',
          baseDelayMs: 10_000,
          maxRetryAfterMs: 4000,
          sleep,
        }),
      );
      expect(error.code).toBe('rate_limited');
    });
  });

  describe('abort', () => {
    it('stops at once with aborted while waiting, even if the sleep never resolves', async () => {
      const controller = new AbortController();
      const { fn, calls } = failing(transient(), transient());
      const never = () => new Promise<void>(() => {});
      const pending = retry(fn, {
        sleep: never,
        onRetry: () => queueMicrotask(() => controller.abort(new Error('shutting down'))),
        signal: controller.signal,
      });
      const error = await rejection(pending);
      expect(error.code).toBe('aborted');
      expect(error.attempts).toBe(1);
      expect(calls).toEqual([1]);
    });

    it('makes no attempt when the signal is already aborted', async () => {
      const { fn, calls } = failing();
      const error = await rejection(retry(fn, { signal: AbortSignal.abort() }));
      expect(error.code).toBe('aborted');
      expect(error.attempts).toBe(0);
      expect(calls).toEqual([]);
    });

    it('stops an attempt in flight that ignores the signal', async () => {
      const controller = new AbortController();
      const pending = retry(
        () => {
          queueMicrotask(() => controller.abort());
          return new Promise<never>(() => {});
        },
        { signal: controller.signal },
      );
      const error = await rejection(pending);
      expect(error.code).toBe('aborted');
      expect(error.attempts).toBe(1);
    });

    it('passes the signal and the attempt number to fn', async () => {
      const controller = new AbortController();
      const seen: unknown[] = [];
      await retry(
        async (context) => {
          seen.push(context);
          return 1;
        },
        { signal: controller.signal },
      );
      expect(seen).toEqual([{ attempt: 1, signal: controller.signal }]);
    });
  });

  describe('long waits', () => {
    it('clamps a Retry-After beyond what a timer can hold to 2^31 - 1 ms', async () => {
      const { waits, sleep } = fakeSleep();
      const delays: number[] = [];
      const { fn } = failing(transient('429', 2 ** 33));
      await retry(fn, {
        sleep,
        maxRetryAfterMs: Number.POSITIVE_INFINITY,
        onRetry: ({ delayMs }) => delays.push(delayMs),
      });
      expect(waits).toEqual([2 ** 31 - 1]);
      expect(delays).toEqual([2 ** 31 - 1]);
    });

    it('clamps a backoff whose maxDelayMs is beyond what a timer can hold', async () => {
      const { waits, sleep } = fakeSleep();
      const { fn } = failing(transient());
      await retry(fn, { sleep, jitter: 'none', baseDelayMs: 2 ** 40, maxDelayMs: 2 ** 41 });
      expect(waits).toEqual([2 ** 31 - 1]);
    });
  });
});
