import { MAX_TIMER_MS, NotifyError, sleep as realSleep, timerDelay } from '@pytake/notify-core';

/** A token bucket per webhook or channel: a steady rate and a burst. */
export interface RateLimitOptions {
  /** Steady rate per key (webhook URL or channel id): a number above 0, at most 1000. @default 1 */
  perSecond?: number;
  /** Messages that may go at once before the steady rate applies: an integer from 1 to 1000. @default 5 */
  burst?: number;
}

/** The defaults of {@link RateLimitOptions}: Slack's one message per second per webhook, bursts of 5. */
export const rateLimitDefaults = { perSecond: 1, burst: 5 } as const satisfies RateLimitOptions;

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Where the message goes, already redacted, for the error when it may not wait. */
  target: string;
}

export interface RateLimiter {
  /**
   * Waits until a message for `key` may go, then takes its slot: one per delivery, whatever its
   * retries. Rejects at once with a retryable `rate_limited` NotifyError (with `retryAfterMs`) while
   * Slack has asked to wait longer than `maxWaitMs`.
   */
  acquire(key: string, options: AcquireOptions): Promise<void>;
  /**
   * Slack answered 429: hold every message for `key` for `retryAfterMs`, but never longer than
   * `maxWaitMs`; after that one message goes through to see whether Slack still limits.
   */
  hold(key: string, retryAfterMs: number): void;
  /**
   * What a retry of a delivery that already has its slot waits for: the hold, not a new slot (which
   * would put it behind, and count it twice against, the others). Rejects like `acquire`.
   */
  resume(key: string, options: AcquireOptions): Promise<void>;
  /** How many keys the limiter remembers; stays near the number of recently active webhooks. */
  tracked(): number;
}

export interface RateLimiterDeps {
  now: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /**
   * The longest a send may wait for a hold: the retry policy's `maxRetryAfterMs`, so that a
   * delivery never waits in the limiter longer than it would wait for Retry-After itself.
   */
  maxWaitMs: number;
}

interface Hold {
  /** When messages may go again (at most `maxWaitMs` after the 429). */
  until: number;
  /** When Slack said they may (Retry-After), which can be much later. */
  asked: number;
}

// A wait as a timer can hold it, in whole milliseconds rounded up: a slot interval such as 1000 / 3 ms
// is fractional while clocks (`Date.now`) count whole milliseconds, and rounding up never wakes a
// sender before its slot.
const wholeDelay = (ms: number) => Math.ceil(timerDelay(ms));

// A send re-checks after each sleep, since another 429 may have come meanwhile. Bounded, so that an
// injected sleep that returns at once with a clock that never moves cannot spin forever.
const MAX_ROUNDS = 20;

/**
 * A per-key limiter (GCRA, the virtual-scheduling form of a token bucket): Slack allows about one
 * message per second per webhook "with short bursts". Slots are reserved at `acquire` time, so
 * concurrent senders queue up in order instead of all waking at once. Every wait is clamped below
 * 2^31 ms (`setTimeout`'s limit).
 */
export function createRateLimiter(options: RateLimitOptions, deps: RateLimiterDeps): RateLimiter {
  const interval = 1000 / (options.perSecond ?? rateLimitDefaults.perSecond);
  const tolerance = (Math.max(1, options.burst ?? rateLimitDefaults.burst) - 1) * interval;
  const sleep = deps.sleep ?? realSleep;
  const maxWaitMs = timerDelay(deps.maxWaitMs);
  // Theoretical arrival time per key: when the bucket would be full again.
  const tat = new Map<string, number>();
  const holds = new Map<string, Hold>();
  // Bumped by every 429, so that a sender that reserved a slot before it re-queues after the hold.
  const generation = new Map<string, number>();
  // A key whose theoretical arrival time has passed has a full bucket, exactly as a key never seen,
  // so it can be forgotten. Sweeping when the map doubles keeps a service with many tenants small
  // at an amortized constant cost per acquire.
  let sweepAt = 1000;
  const sweep = (now: number) => {
    for (const [k, t] of tat) if (t <= now) tat.delete(k);
    for (const [k, h] of holds) if (h.until <= now && h.asked <= now) holds.delete(k);
    for (const k of generation.keys()) if (!tat.has(k) && !holds.has(k)) generation.delete(k);
    sweepAt = Math.max(1000, tat.size * 2);
  };

  const aborted = () => new NotifyError('The operation was aborted', { code: 'aborted' });

  // How long a send must wait for a hold on `key` (0: not held). Throws when Slack asked for more
  // than a send may wait. Synchronous, so that no 429 can slip in between the check and the slot.
  function holdWait(key: string, now: number, target: string): number {
    const hold = holds.get(key);
    if (!hold || hold.until <= now) return 0;
    const askedMs = hold.asked - now;
    if (askedMs > maxWaitMs) {
      throw new NotifyError(
        `Slack rate limited ${target} for another ${Math.ceil(askedMs / 1000)} s, longer than a send may wait (maxRetryAfterMs ${maxWaitMs} ms): not sent, try again later`,
        { code: 'rate_limited', retryable: true, retryAfterMs: wholeDelay(askedMs) },
      );
    }
    return wholeDelay(hold.until - now);
  }

  return {
    async acquire(key, { signal, target }) {
      // Each round either takes a slot or sleeps; bounded so that an injected sleep that returns at
      // once with a clock that never moves lets the message go instead of spinning.
      for (let round = 0; round < MAX_ROUNDS; round++) {
        if (signal?.aborted) throw aborted();
        const now = deps.now();
        const wait = holdWait(key, now, target);
        if (wait > 0) {
          await sleep(wait, signal);
          continue;
        }
        if (tat.size >= sweepAt) sweep(now);
        const current = Math.max(tat.get(key) ?? now, now);
        const at = Math.max(now, current - tolerance);
        tat.set(key, current + interval);
        if (at <= now) return;
        const seen = generation.get(key) ?? 0;
        await sleep(wholeDelay(at - now), signal);
        if (signal?.aborted) throw aborted();
        if ((generation.get(key) ?? 0) === seen) return;
      }
    },
    async resume(key, { signal, target }) {
      for (let round = 0; round < MAX_ROUNDS; round++) {
        if (signal?.aborted) throw aborted();
        const wait = holdWait(key, deps.now(), target);
        if (wait === 0) return;
        await sleep(wait, signal);
      }
    },
    hold(key, retryAfterMs) {
      const now = deps.now();
      const wait = Number.isFinite(retryAfterMs) ? Math.max(0, retryAfterMs) : MAX_TIMER_MS;
      const previous = holds.get(key);
      const until = Math.max(previous?.until ?? 0, now + Math.min(wait, maxWaitMs));
      const asked = Math.max(previous?.asked ?? 0, now + Math.min(wait, MAX_TIMER_MS));
      holds.set(key, { until, asked });
      generation.set(key, (generation.get(key) ?? 0) + 1);
      // After the wait the bucket is empty: resume at the steady rate, not with a new burst that
      // would hit the next 429. When the delivery that met the 429 will retry (Slack's wait is one
      // it may wait for), the first slot after the hold is its retry's, so the others go after it.
      const retrySlot = wait <= maxWaitMs ? interval : 0;
      tat.set(key, until + tolerance + retrySlot);
    },
    tracked: () => tat.size,
  };
}
