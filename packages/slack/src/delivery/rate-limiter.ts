import { sleep as realSleep } from '@pytake/notify-core';

export interface RateLimitOptions {
  /** Steady rate per key (webhook URL or channel id). @default 1 */
  perSecond?: number;
  /** Messages that may go at once before the steady rate applies. @default 5 */
  burst?: number;
}

export const rateLimitDefaults = { perSecond: 1, burst: 5 } as const satisfies RateLimitOptions;

export interface RateLimiter {
  /** Waits until a message for `key` may go, then takes its slot. */
  acquire(key: string, signal?: AbortSignal): Promise<void>;
  /** Slack answered 429: hold every message for `key` until `retryAfterMs` has passed. */
  hold(key: string, retryAfterMs: number): void;
  /** How many keys the limiter remembers; stays near the number of recently active webhooks. */
  tracked(): number;
}

export interface RateLimiterDeps {
  now: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * A per-key limiter (GCRA, the virtual-scheduling form of a token bucket): Slack allows about one
 * message per second per webhook "with short bursts". Slots are reserved at `acquire` time, so
 * concurrent senders queue up in order instead of all waking at once.
 */
export function createRateLimiter(options: RateLimitOptions, deps: RateLimiterDeps): RateLimiter {
  const interval = 1000 / (options.perSecond ?? rateLimitDefaults.perSecond);
  const tolerance = (Math.max(1, options.burst ?? rateLimitDefaults.burst) - 1) * interval;
  const sleep = deps.sleep ?? realSleep;
  // Theoretical arrival time per key: when the bucket would be full again.
  const tat = new Map<string, number>();
  const heldUntil = new Map<string, number>();
  // Bumped by every 429, so that a sender that reserved a slot before it re-queues after the hold.
  const generation = new Map<string, number>();
  // A key whose theoretical arrival time has passed has a full bucket, exactly as a key never seen,
  // so it can be forgotten. Sweeping when the map doubles keeps a service with many tenants small
  // at an amortized constant cost per acquire.
  let sweepAt = 1000;
  const sweep = (now: number) => {
    for (const [k, t] of tat) if (t <= now) tat.delete(k);
    for (const [k, t] of heldUntil) if (t <= now) heldUntil.delete(k);
    for (const k of generation.keys()) if (!tat.has(k) && !heldUntil.has(k)) generation.delete(k);
    sweepAt = Math.max(1000, tat.size * 2);
  };

  return {
    async acquire(key, signal) {
      for (;;) {
        const now = deps.now();
        const held = heldUntil.get(key) ?? 0;
        if (held > now) {
          await sleep(held - now, signal);
          continue;
        }
        if (tat.size >= sweepAt) sweep(now);
        const current = Math.max(tat.get(key) ?? now, now);
        const at = Math.max(now, current - tolerance);
        tat.set(key, current + interval);
        if (at <= now) return;
        const seen = generation.get(key) ?? 0;
        await sleep(at - now, signal);
        if ((generation.get(key) ?? 0) === seen) return;
      }
    },
    hold(key, retryAfterMs) {
      const until = Math.max(heldUntil.get(key) ?? 0, deps.now() + retryAfterMs);
      heldUntil.set(key, until);
      generation.set(key, (generation.get(key) ?? 0) + 1);
      // After the wait the bucket is empty: resume at the steady rate, not with a new burst that
      // would hit the next 429.
      tat.set(key, until + tolerance);
    },
    tracked: () => tat.size,
  };
}
