import { deadline } from './deadline.js';
import type { DeliveryClaims } from './deliver-target.js';
import { ConfigError, NotifyError, toNotifyError } from './errors.js';
import type { ClaimResult, IdempotencyStore } from './idempotency.js';
import { sleep } from './sleep.js';

export interface StoreClaimsOptions {
  /** How long a claim lasts: longer than the delivery may take, so a live one never loses it. */
  claimTtlMs: number;
  /** How long the delivered mark lasts. */
  ttlMs: number;
  /** The longest wait for the outcome of a delivery held in flight elsewhere. */
  inFlightWaitMs: number;
  /** First pause before asking again about a key in flight; it doubles. */
  pollMs: number;
  /** Longest pause between two questions. */
  pollMaxMs: number;
}

/**
 * The claims of `notify()`, on an `IdempotencyStore`. A store that is down (a Redis outage, say)
 * answers `claimed`: an alert sent twice is better than an alert nobody hears about.
 */
export function storeClaims(
  store: IdempotencyStore,
  options: StoreClaimsOptions,
  signal: AbortSignal | undefined,
): DeliveryClaims {
  // Not raced here: the delivery step races it against its deadline, and the wait below against its own.
  const claim = async (key: string, limit?: AbortSignal): Promise<ClaimResult> => {
    let answer: unknown;
    try {
      answer = await store.claim(key, options.claimTtlMs);
    } catch (caught) {
      if (limit?.aborted) throw caught;
      return 'claimed';
    }
    // A store that answers something else (`inflight`, a Redis `OK`) would be taken for a free key
    // and send twice: the delivery fails instead, saying what the store must answer.
    if (answer !== 'claimed' && answer !== 'in_flight' && answer !== 'delivered') {
      throw new ConfigError(
        `The idempotency store's claim() answered ${JSON.stringify(answer)}; expected 'claimed', 'in_flight' or 'delivered'`,
      );
    }
    return answer;
  };
  return {
    claim,
    release: (key) => store.release(key),
    complete: (key) => store.complete(key, options.ttlMs),
    /**
     * Asks the store again with a growing pause until the key is delivered (`delivered`: a duplicate)
     * or free again (`claimed`: ours to deliver), so that `duplicate` never means "nothing was sent".
     */
    async waitForOutcome(key) {
      const wait = deadline(
        options.inFlightWaitMs,
        signal,
        () =>
          new NotifyError(
            `Another delivery of this notification was still in flight after ${options.inFlightWaitMs} ms; try again later`,
            { code: 'timeout', retryable: true },
          ),
      );
      try {
        let pauseMs = options.pollMs;
        // Bounded by the deadline: every turn waits at least `pollMs`, or ends.
        for (;;) {
          try {
            await sleep(pauseMs, wait.signal);
          } catch (caught) {
            return wait.error ?? toNotifyError(caught);
          }
          pauseMs = Math.min(pauseMs * 2, options.pollMaxMs);
          let state: ClaimResult;
          try {
            state = await wait.race(claim(key, wait.signal));
          } catch (caught) {
            return wait.error ?? toNotifyError(caught);
          }
          if (state !== 'in_flight') return state;
        }
      } finally {
        wait.clear();
      }
    },
  };
}
