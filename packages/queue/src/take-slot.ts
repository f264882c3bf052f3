import { sleep } from '@pytake/notify-core';
import type { RateLimit, RedisRateLimiter, ReservedSlot } from './redis-rate-limiter.js';

/** What a delivery does about the shared limit of its destination. */
export type SlotOutcome =
  /** Send now: a slot was granted `at` (Redis's clock). */
  | { kind: 'go'; at: number }
  /**
   * Wait `waitMs` as a delayed job (no attempt spent), keeping `slot` when one was reserved.
   * `waitedMs`: what this run already waited here, which counts against the deferral too.
   */
  | { kind: 'defer'; waitMs: number; held: boolean; slot?: ReservedSlot; waitedMs: number }
  /** The wait is longer than the deferral left: the delivery fails as `rate_limited`. */
  | { kind: 'too_long'; waitMs: number; remainingMs: number };

export interface TakeSlotOptions {
  limiter: RedisRateLimiter;
  key: string;
  limit: RateLimit;
  /** A slot reserved by an earlier run of the job. */
  reserved?: ReservedSlot;
  /** Deferral left before the delivery fails as `rate_limited`. */
  remainingMs: number;
  /** Waits up to this long are waited here rather than as a delayed job. */
  shortWaitMs: number;
  /** Cuts a short wait short (the worker is closing): the rest is waited as a delayed job. */
  signal: AbortSignal;
  /** Each wait, as it is decided: for the `onRateLimit` hook and the span. */
  onWait?: (waitMs: number, held: boolean, inProcess: boolean) => void;
}

/**
 * Takes a slot of the shared limit. A short wait for a reserved slot is waited here (the job keeps
 * its lock, which BullMQ renews while it runs); a longer one is left to a delayed job, since a
 * delayed job comes back late and a timer does not. At most three short waits in a row.
 */
export async function takeSlot(options: TakeSlotOptions): Promise<SlotOutcome> {
  const { limiter, key, limit, shortWaitMs, signal } = options;
  let reserved = options.reserved;
  let remainingMs = options.remainingMs;
  const waited = () => options.remainingMs - remainingMs;
  for (let round = 0; ; round++) {
    const slot = await limiter.take(key, limit, { maxWaitMs: remainingMs, slot: reserved });
    if (slot.kind === 'go') return { kind: 'go', at: slot.at };
    if (slot.kind === 'denied') {
      if (slot.waitMs > remainingMs) return { kind: 'too_long', waitMs: slot.waitMs, remainingMs };
      options.onWait?.(slot.waitMs, slot.held, false);
      return { kind: 'defer', waitMs: slot.waitMs, held: slot.held, waitedMs: waited() };
    }
    if (slot.waitMs > shortWaitMs || round >= 3 || slot.waitMs > remainingMs) {
      options.onWait?.(slot.waitMs, false, false);
      return { kind: 'defer', waitMs: slot.waitMs, held: false, slot: slot.slot, waitedMs: waited() };
    }
    options.onWait?.(slot.waitMs, false, true);
    const cut = await sleep(slot.waitMs, signal).then(
      () => false,
      () => true,
    );
    if (cut) return { kind: 'defer', waitMs: slot.waitMs, held: false, slot: slot.slot, waitedMs: waited() };
    remainingMs -= slot.waitMs;
    reserved = slot.slot;
  }
}
