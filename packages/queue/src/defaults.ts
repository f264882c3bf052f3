/** The defaults of the queue and its workers, in one place. */
export const queueDefaults = {
  /**
   * Prefix of every key, in hash-tag form so that all keys land in one Redis Cluster slot.
   * @default `'{pytake-notify}'`
   */
  prefix: '{pytake-notify}',
  /** How long an event's identity is remembered by `enqueue()` (BullMQ deduplication TTL). @default 86400000 (24 h) */
  dedupTtlMs: 24 * 60 * 60 * 1000,
  /** A producer that cannot reach Redis within this fails instead of waiting. @default 2000 */
  connectTimeoutMs: 2000,
  /** Attempts of one delivery job (transient failures), BullMQ's `attempts`. @default 5 */
  deliveryAttempts: 5,
  /** Attempts of one event job (directory outages). @default 10 */
  eventAttempts: 10,
  /** Jobs processed at once per queue and worker process. @default 8 */
  concurrency: 8,
  /** How long a claim on a delivery lasts: longer than one send may take. @default 60000 */
  claimTtlMs: 60_000,
  /** How long a sent marker lasts (effectively-once window). @default 86400000 (24 h) */
  sentTtlMs: 24 * 60 * 60 * 1000,
  /** Total time a delivery may be deferred by rate limits and holds before it fails as `rate_limited`. @default 900000 (15 min) */
  maxDeferralMs: 15 * 60 * 1000,
  /**
   * A wait for a reserved rate-limit slot up to this long is waited in the worker (the job keeps its
   * lock and a concurrency slot), a longer one as a delayed job, which BullMQ brings back late on a
   * busy worker. Short, because a waiting job holds one of the worker's `concurrency`. @default 250
   */
  shortWaitMs: 250,
  /** Longest hold a 429's Retry-After may set. @default 60000 */
  maxHoldMs: 60_000,
  /** Hold after a 429 without Retry-After. @default 1000 */
  defaultHoldMs: 1000,
  /** Shared rate limits per route kind and target (`false`: none). @default slack and slackApi 1/s, burst 5; email none */
  limits: {
    email: false,
    slack: { perSecond: 1, burst: 5 },
    slackApi: { perSecond: 1, burst: 5 },
  } as Record<'email' | 'slack' | 'slackApi', false | { perSecond: number; burst: number }>,
  /** BullMQ lock of an active job, renewed while it runs. @default 30000 */
  lockDurationMs: 30_000,
  /**
   * How long `close()` lets held jobs finish; past it, jobs not yet sending go back to the queue at
   * once. @default 10000
   */
  closeTimeoutMs: 10_000,
  /**
   * The longest one send may take (the channels' own timeout): `close()` waits this long past its
   * deadline for sends already written, which it never aborts. @default 30000
   */
  sendTimeoutMs: 30_000,
  /** Per-event status is kept this long. @default 604800000 (7 days) */
  statusTtlMs: 7 * 24 * 60 * 60 * 1000,
  /** Approximate length of the records stream (XADD MAXLEN ~). @default 10000 */
  streamMaxLen: 10_000,
  /** A delivery of a kind no running worker takes is reported after waiting this long. @default 300000 (5 min) */
  unservedAfterMs: 5 * 60 * 1000,
  /**
   * How often each worker looks for storm digests overdue by more than `digestGraceMs` whose job
   * is missing (a worker died between folding a digest's first event and adding its job), and adds
   * it again. @default 5000
   */
  digestSweepMs: 5000,
  /** How late a digest's job may be before the sweep adds it again (a no-op while it exists). @default 5000 */
  digestGraceMs: 5000,
  /** How long an alert's Slack thread (its parent's ts) and its Web API messages are kept for edits. @default 2592000000 (30 days) */
  threadTtlMs: 30 * 24 * 60 * 60 * 1000,
  /**
   * How much longer than `lockDurationMs` + `stalledIntervalMs` a later event of an alert waits for
   * an earlier one to the same target (`orderWaitMs`'s default is their sum plus this). @default 30000
   */
  orderWaitMarginMs: 30_000,
  /** How often a delivery waiting for an earlier one of its alert looks again, when not woken sooner. @default 1000 */
  orderPollMs: 1000,
  /** Completed jobs kept per queue (the rest is removed; status and sent markers outlive them). @default 1000 */
  keepCompleted: 1000,
} as const;
