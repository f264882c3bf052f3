import type { Redis } from 'ioredis';
import { runScript } from './commands/index.js';
import { hashKey } from './hash-key.js';

/** A shared limit for one kind of target: a steady rate and a burst. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** What `take()` decided for one delivery. */
export type SlotDecision =
  /** Send now. */
  | { kind: 'go'; generation: number }
  /** A slot is reserved `waitMs` from now: come back then and pass `generation`. */
  | { kind: 'reserved'; waitMs: number; generation: number }
  /** Nothing reserved: the target is held by a 429 (`held`) or the wait is longer than allowed. */
  | { kind: 'denied'; waitMs: number; held: boolean };

/**
 * The GCRA shared by every worker, in Redis (src/commands/gcra-take.lua and gcra-hold.lua), keyed
 * by target: one slot per delivery, and a 429 holds the target for everyone.
 */
export interface RedisRateLimiter {
  take(
    target: string,
    limit: RateLimit,
    options: { maxWaitMs: number; generation?: number },
  ): Promise<SlotDecision>;
  /** The target answered 429: hold it for `holdMs` for every worker; returns the hold actually in force. */
  hold(target: string, limit: RateLimit, holdMs: number): Promise<number>;
}

export function createRedisRateLimiter(redis: Redis, prefix: string): RedisRateLimiter {
  const key = (target: string) => `${prefix}:rl:${hashKey(target)}`;
  const interval = (limit: RateLimit) => 1000 / limit.perSecond;
  return {
    async take(target, limit, { maxWaitMs, generation }) {
      const [ok, waitMs, gen, held] = (await runScript(redis, 'gcraTake', key(target), [
        interval(limit),
        Math.max(1, limit.burst),
        Math.max(0, Math.floor(maxWaitMs)),
        generation === undefined ? '' : generation,
      ])) as [number, number, number, number];
      if (ok !== 1) return { kind: 'denied', waitMs, held: held === 1 };
      return waitMs > 0 ? { kind: 'reserved', waitMs, generation: gen } : { kind: 'go', generation: gen };
    },
    async hold(target, limit, holdMs) {
      return (await runScript(redis, 'gcraHold', key(target), [
        Math.max(1, Math.ceil(holdMs)),
        interval(limit),
        Math.max(1, limit.burst),
      ])) as number;
    },
  };
}
