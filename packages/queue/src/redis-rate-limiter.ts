import type { RouteKind } from '@pytake/notify-core';
import { runScript } from './commands/index.js';
import { queueKeys } from './queue-keys.js';
import type { RedisClient } from './redis-connection.js';

/** A shared limit for one kind of target: a steady rate and a burst. */
export interface RateLimit {
  perSecond: number;
  burst: number;
}

/** A slot reserved for later: the limiter's generation and the slot's time on Redis's clock. */
export interface ReservedSlot {
  generation: number;
  at: number;
}

/** What `take()` decided for one delivery. */
export type SlotDecision =
  /**
   * Send now: the slot was granted `at` (ms since the epoch, on Redis's clock, the same for every
   * worker). The limit bounds these grant times; a send follows its grant as soon as the worker runs.
   */
  | { kind: 'go'; at: number }
  /** A slot is reserved `waitMs` from now: come back then and pass `slot`. */
  | { kind: 'reserved'; waitMs: number; slot: ReservedSlot }
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
    options: { maxWaitMs: number; slot?: ReservedSlot },
  ): Promise<SlotDecision>;
  /**
   * The target answered 429: hold it for `holdMs` for every worker; returns the hold actually in
   * force. `shown` lists the hold for consoles until it ends (see `rateLimitHolds`).
   */
  hold(target: string, limit: RateLimit, holdMs: number, shown?: ShownHold): Promise<number>;
}

/** A 429 hold in force, as `queue.rateLimitHolds()` lists it: the target redacted as in the records. */
export interface RateLimitHold {
  organizationId: string;
  route: RouteKind;
  /** The target as records name it: no address, URL or path. */
  target: string;
  /** When the hold ends (Redis's clock). */
  until: Date;
}

/** Who a hold is for, as a console shows it. */
export type ShownHold = Omit<RateLimitHold, 'until'>;

export function createRedisRateLimiter(redis: RedisClient, prefix: string): RedisRateLimiter {
  const keys = queueKeys(prefix);
  const key = keys.rateLimit;
  const interval = (limit: RateLimit) => 1000 / limit.perSecond;
  return {
    async take(target, limit, { maxWaitMs, slot }) {
      const [ok, waitMs, generation, held, at, now] = (await runScript(
        redis,
        'gcraTake',
        [key(target)],
        [
          interval(limit),
          Math.max(1, limit.burst),
          Math.max(0, Math.floor(maxWaitMs)),
          slot ? slot.generation : '',
          slot ? slot.at : '',
        ],
      )) as [number, number, number, number, number, number];
      if (ok !== 1) return { kind: 'denied', waitMs, held: held === 1 };
      return waitMs > 0 ? { kind: 'reserved', waitMs, slot: { generation, at } } : { kind: 'go', at: now };
    },
    async hold(target, limit, holdMs, shown) {
      return (await runScript(
        redis,
        'gcraHold',
        [key(target), keys.holds],
        [
          Math.max(1, Math.ceil(holdMs)),
          interval(limit),
          Math.max(1, limit.burst),
          shown ? JSON.stringify([shown.organizationId, shown.route, shown.target]) : '',
        ],
      )) as number;
    },
  };
}

/** The 429 holds in force, soonest to end first, of `organizationIds` (all when absent). */
export async function readRateLimitHolds(
  redis: RedisClient,
  prefix: string,
  organizationIds?: readonly string[],
): Promise<RateLimitHold[]> {
  const [seconds, micros] = await redis.time();
  const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
  const listed = await redis.zrangebyscore(queueKeys(prefix).holds, now, '+inf', 'WITHSCORES');
  const holds: RateLimitHold[] = [];
  for (let i = 0; i < listed.length; i += 2) {
    const [organizationId, route, target] = JSON.parse(listed[i]!) as [string, RouteKind, string];
    if (organizationIds && !organizationIds.includes(organizationId)) continue;
    holds.push({ organizationId, route, target, until: new Date(Number(listed[i + 1])) });
  }
  return holds;
}
