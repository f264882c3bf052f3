import {
  atLeastSeverity,
  MAX_TIMER_MS,
  NotifyError,
  sleep as realSleep,
  type Severity,
  timerDelay,
} from '@pytake/notify-core';

/** A token bucket per webhook or channel: a steady rate and a burst. */
export interface RateLimitOptions {
  /** Steady rate per key (webhook URL or channel id): a number above 0, at most 1000. @default 1 */
  perSecond?: number;
  /** Messages that may go at once before the steady rate applies: an integer from 1 to 1000. @default 5 */
  burst?: number;
  /**
   * Deliveries of alerts this severe or more go ahead of every other message waiting for the same
   * key: they take the next free slot, the others move back one slot each, in their order. The
   * key's rate stays the same and a 429's hold applies to them too. `false`: one line for all.
   * @default 'critical'
   */
  priorityAtOrAbove?: Severity | false;
}

/**
 * The defaults of {@link RateLimitOptions}: Slack's one message per second per webhook, bursts of
 * 5, critical alerts ahead of the others.
 */
export const rateLimitDefaults = {
  perSecond: 1,
  burst: 5,
  priorityAtOrAbove: 'critical',
} as const satisfies RateLimitOptions;

export interface AcquireOptions {
  signal?: AbortSignal;
  /** Where the message goes, already redacted, for the error when it may not wait. */
  target: string;
  /** The alert's severity (core's `SendOptions.severity`): at `priorityAtOrAbove` it goes ahead. */
  severity?: Severity;
}

/** A slot taken by `acquire`. */
export interface RateSlot {
  /**
   * The post that took the slot has its answer: Slack had it by now at the latest. Counts the slot
   * from then, for the messages after it (see `createRateLimiter`).
   */
  answered(): void;
}

export interface RateLimiter {
  /**
   * Waits until a message for `key` may go, then takes its slot: one per delivery, whatever its
   * retries. Rejects at once with a retryable `rate_limited` NotifyError (with `retryAfterMs`) while
   * Slack has asked to wait longer than `maxWaitMs`. Urgent messages (`priorityAtOrAbove`) take the
   * next free slot before any other waiting for `key`; each lane is first come, first served.
   */
  acquire(key: string, options: AcquireOptions): Promise<RateSlot>;
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

interface Waiter {
  target: string;
  resolve(slot: RateSlot): void;
  reject(error: unknown): void;
  /** Removes the abort listener. */
  done(): void;
}

interface KeyState {
  /** Theoretical arrival time (GCRA): when the bucket would be full again. */
  tat: number;
  /** Slots granted so far, to place an answer (`RateSlot.answered`) among the slots after it. */
  granted: number;
  /** Urgent waiters, then the others: each first come, first served. */
  urgent: Waiter[];
  normal: Waiter[];
  /** The key's one timer loop runs (see `pump`). */
  pumping: boolean;
  /** Ends the loop's sleep when every waiter has gone (aborted), so no timer outlives them. */
  idle?: AbortController;
}

// A wait as a timer can hold it, in whole milliseconds rounded up: a slot interval such as 1000 / 3 ms
// is fractional while clocks (`Date.now`) count whole milliseconds, and rounding up never wakes a
// sender before its slot.
const wholeDelay = (ms: number) => Math.ceil(timerDelay(ms));

// The loop re-checks after each sleep, since another 429 may have come meanwhile. Bounded, so that an
// injected sleep that returns at once with a clock that never moves cannot spin forever: after this
// many sleeps without a slot the first waiter goes.
const MAX_ROUNDS = 20;

/**
 * A per-key limiter (GCRA, the virtual-scheduling form of a token bucket): Slack allows about one
 * message per second per webhook "with short bursts". Waiters queue per key in two first-come lines,
 * urgent ones (`priorityAtOrAbove`) first, and one timer loop per key hands out one slot at a time, so
 * a critical alert never waits behind a backlog while the key's rate never exceeds the limit. Every
 * wait is clamped below 2^31 ms (`setTimeout`'s limit).
 *
 * Slack counts a message when it arrives, which the limiter cannot see: a post granted at once may
 * arrive later than one granted after it (a first connection's handshake, network jitter), and a
 * limiter that spaces grants at exactly Slack's rate then meets a 429 on the first post after a
 * burst. So each slot counts from when its post was answered (`RateSlot.answered`), the latest time
 * Slack can have counted it, when that is later than the grant: the messages after it move back by
 * the difference. That margin is the round trip's, not a fixed share of the rate: nothing on
 * loopback, about the handshake after a burst, and at worst the round trip per message in a long
 * backlog (1 s per message plus about 0.1 s to Slack).
 */
export function createRateLimiter(options: RateLimitOptions, deps: RateLimiterDeps): RateLimiter {
  const interval = 1000 / (options.perSecond ?? rateLimitDefaults.perSecond);
  const tolerance = (Math.max(1, options.burst ?? rateLimitDefaults.burst) - 1) * interval;
  const priority = options.priorityAtOrAbove ?? rateLimitDefaults.priorityAtOrAbove;
  const sleep = deps.sleep ?? realSleep;
  const maxWaitMs = timerDelay(deps.maxWaitMs);
  const keys = new Map<string, KeyState>();
  const holds = new Map<string, Hold>();
  // A key whose theoretical arrival time has passed, with no one waiting, has a full bucket, exactly
  // as a key never seen, so it can be forgotten. Sweeping when the map doubles keeps a service with
  // many tenants small at an amortized constant cost per acquire.
  let sweepAt = 1000;
  const sweep = (now: number) => {
    for (const [k, s] of keys) if (s.tat <= now && !s.pumping) keys.delete(k);
    for (const [k, h] of holds) if (h.until <= now && h.asked <= now) holds.delete(k);
    sweepAt = Math.max(1000, keys.size * 2);
  };
  const stateOf = (key: string, now: number): KeyState => {
    let state = keys.get(key);
    if (!state) {
      if (keys.size >= sweepAt) sweep(now);
      state = { tat: now, granted: 0, urgent: [], normal: [], pumping: false };
      keys.set(key, state);
    }
    return state;
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

  // Takes the next slot for the first waiter: urgent ones first.
  function grant(key: string, state: KeyState, now: number) {
    const waiter = (state.urgent.shift() ?? state.normal.shift()) as Waiter;
    waiter.done();
    state.tat = Math.max(state.tat, now) + interval;
    state.granted++;
    const after = state.tat;
    const count = state.granted;
    waiter.resolve({
      answered() {
        const late = deps.now() - now;
        if (late <= 0) return;
        const current = keys.get(key);
        if (!current) return;
        // The slot and every one granted after it, counted from the answer instead of the grant.
        const later = current === state ? current.granted - count : 0;
        current.tat = Math.max(current.tat, after + late + later * interval);
      },
    });
  }

  // The key's one timer loop: while anyone waits, sleeps until the first waiter may go (a hold, the
  // next slot), then grants one slot. A 429 meanwhile is seen at the next wake-up, since the loop
  // re-checks after each sleep; a later hold only ever moves the next slot later.
  async function pump(key: string, state: KeyState) {
    if (state.pumping) return;
    state.pumping = true;
    try {
      let rounds = 0;
      while (state.urgent.length + state.normal.length > 0) {
        const now = deps.now();
        let wait = 0;
        try {
          wait = holdWait(key, now, '');
        } catch {
          // Slack asked for longer than a send may wait: every waiter fails now, with its target.
          for (const waiter of [...state.urgent.splice(0), ...state.normal.splice(0)]) {
            waiter.done();
            try {
              holdWait(key, now, waiter.target);
            } catch (error) {
              waiter.reject(error);
            }
          }
          break;
        }
        if (wait === 0 && state.tat - tolerance > now) wait = wholeDelay(state.tat - tolerance - now);
        if (wait > 0 && rounds < MAX_ROUNDS) {
          rounds++;
          state.idle = new AbortController();
          await sleep(wait, state.idle.signal).catch(() => {});
          continue;
        }
        rounds = 0;
        grant(key, state, now);
      }
    } finally {
      state.pumping = false;
      state.idle = undefined;
    }
  }

  return {
    async acquire(key, { signal, target, severity }) {
      if (signal?.aborted) throw aborted();
      const now = deps.now();
      // Fails at once, without queueing, while Slack asked for longer than a send may wait.
      holdWait(key, now, target);
      const state = stateOf(key, now);
      const urgent = priority !== false && severity !== undefined && atLeastSeverity(severity, priority);
      const line = urgent ? state.urgent : state.normal;
      const slot = new Promise<RateSlot>((resolve, reject) => {
        const onAbort = () => {
          line.splice(line.indexOf(waiter), 1);
          if (state.urgent.length + state.normal.length === 0) state.idle?.abort();
          reject(aborted());
        };
        const waiter: Waiter = {
          target,
          resolve,
          reject,
          done: () => signal?.removeEventListener('abort', onAbort),
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        line.push(waiter);
      });
      void pump(key, state);
      return slot;
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
      // After the wait the bucket is empty: resume at the steady rate, not with a new burst that
      // would hit the next 429. When the delivery that met the 429 will retry (Slack's wait is one
      // it may wait for), the first slot after the hold is its retry's, so the others go after it.
      const retrySlot = wait <= maxWaitMs ? interval : 0;
      stateOf(key, now).tat = until + tolerance + retrySlot;
    },
    tracked: () => keys.size,
  };
}
