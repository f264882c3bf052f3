import type { RouteKind } from '@pytake/notify-core';

/** What the shared rate limit did to one delivery (`onRateLimit`). Holds no address or URL. */
export type RateLimitEvent = {
  route: RouteKind;
  /** The target's stable identity within its organization. */
  targetId: string;
  /** The event's job id. */
  eventId: string;
} & (
  | {
      /**
       * A slot was granted `at` (ms since the epoch on Redis's clock, so comparable across workers
       * and machines) and the send follows: the limit bounds these times, not arrivals at the receiver.
       */
      kind: 'granted';
      at: number;
    }
  /** The delivery waits `waitMs` as a delayed job (no attempt spent): for its reserved slot, or a 429 hold (`held`). */
  | { kind: 'deferred'; waitMs: number; held: boolean }
  /** The target answered 429: every worker holds it for `holdMs`. */
  | { kind: 'held'; holdMs: number }
);
