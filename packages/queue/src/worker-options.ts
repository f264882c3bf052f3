import {
  type BackoffOptions,
  ConfigError,
  type DeliveryRecord,
  notifierDefaults,
  ROUTE_KINDS,
  type RouteKind,
  type Routes,
  type TenantDirectory,
} from '@pytake/notify-core';
import { queueDefaults } from './defaults.js';
import { count, ms } from './option-checks.js';
import type { RateLimitEvent } from './rate-limit-event.js';
import type { RedisConnection } from './redis-connection.js';
import type { RateLimit } from './redis-rate-limiter.js';
import type { RedisChecks } from './redis-server-check.js';

/**
 * Options of `createDeliveryWorker`: where Redis is, where organizations are looked up, the routes, and the
 * limits.
 */
export interface DeliveryWorkerOptions<SlackMessage = unknown> {
  /** Where Redis is: a URL or ioredis options. */
  connection: RedisConnection;
  /** Looked up again for every delivery: job data holds target identities only, never addresses or URLs. */
  directory: TenantDirectory;
  /**
   * The same routes `createNotifier()` takes. Inside a worker every channel makes one attempt per
   * job run and uses no limiter of its own: BullMQ retries, and the limits below are shared.
   */
  routes: Routes<SlackMessage>;
  /** Must match the producer's. @default `'{pytake-notify}'` */
  prefix?: string;
  /** Jobs at once, per queue (events, and each route kind). @default 8 */
  concurrency?: number;
  /** Called with every record, exactly as `notify()` would. Errors thrown here are ignored. */
  onDelivery?: (record: DeliveryRecord) => void;
  /**
   * Worker-level errors, for logs: Redis connection lost, a Redis `maxmemory-policy` other than
   * `noeviction` or a Redis that keeps nothing on disk (once, at start-up), a Redis too old
   * (`RedisVersionError`, also the rejection of `ready()`), and deliveries of a kind that no running worker takes
   * (`unservedAfterMs`).
   */
  onError?: (error: Error) => void;
  /**
   * The start-up checks of Redis: `version: false` accepts a Redis-compatible server whose
   * `redis_version` follows a numbering of its own; `persistence: false` silences the warning for a
   * Redis without AOF or RDB save points. @default `{ version: true, persistence: true }`
   */
  redisChecks?: RedisChecks;
  /** What the shared rate limits did to each delivery: slots granted, waits, 429 holds. Errors thrown here are ignored. */
  onRateLimit?: (event: RateLimitEvent) => void;
  /**
   * Shared limits per route kind, per destination (a webhook URL, a recipient list, a channel);
   * `false` for none of a kind, or `false` for none at all.
   * @default slack and slackApi 1/s burst 5, email none
   */
  limits?: false | Partial<Record<RouteKind, false | RateLimit>>;
  /**
   * One shared limit for all email sent through one SMTP server, whatever the recipients and the
   * organization (`limits.email` is per recipient set), keyed by the host's digest:
   * `{ host: 'smtp.example.com', perSecond: 10, burst: 20 }`. When set, it replaces `limits.email`. @default none
   */
  smtpLimit?: false | SmtpLimit;
  /** Backoff between attempts of a delivery. @default core's (1 s, ×2, full jitter, max 30 s) */
  backoff?: BackoffOptions;
  /** Attempts per delivery (transient failures); a whole number. @default 5 */
  deliveryAttempts?: number;
  /**
   * The longest `directory.get()` may take. Past it the job is retried later (as a transient failure)
   * and its slot freed for other organizations. @default 10000
   */
  lookupTimeoutMs?: number;
  /** How long a claim on a delivery lasts: longer than a send may take (`sendTimeoutMs`). @default 60000 */
  claimTtlMs?: number;
  /**
   * The longest one send may take: your channels' own timeout. `close()` never aborts a send
   * already written (its provider may have it); past its deadline it waits this long for their
   * answers, and leaves those still unanswered in doubt, as a crash would. @default 30000
   */
  sendTimeoutMs?: number;
  /** How long a sent marker suppresses a second send. @default 86400000 */
  sentTtlMs?: number;
  /** Total rate-limit deferral of a delivery before it fails with `rate_limited`. @default 900000 */
  maxDeferralMs?: number;
  /** The longest hold a Retry-After may set. @default 60000 */
  maxHoldMs?: number;
  /** A wait for a reserved rate-limit slot up to this long is waited in the worker, not as a delayed job. @default 250 */
  shortWaitMs?: number;
  /** BullMQ's lock of an active job. @default 30000 */
  lockDurationMs?: number;
  /** How often stalled jobs (of a dead worker) are looked for. @default lockDurationMs */
  stalledIntervalMs?: number;
  /** How long statuses and the alert index are kept. @default 604800000 */
  statusTtlMs?: number;
  /** Records kept in the records stream (approximately). @default 10000 */
  streamMaxLen?: number;
  /**
   * A delivery of a kind that no running worker takes, waiting longer than this, is reported
   * through `onError` and shown in `status()` with its error. @default 300000 (5 min)
   */
  unservedAfterMs?: number;
  /**
   * Each alert's conversation with each target, held in Redis for every worker: its messages go
   * in event order, and a Web API channel with the tenant's `threadReplies` gets one thread per
   * alert (its parent's ts kept in Redis, whatever `ThreadStore` the channel has), the parent
   * edited when the alert resolves. `false` sends each event as soon as a worker takes it, threads
   * kept by the channel's own `ThreadStore`. @default true
   */
  conversation?: boolean;
  /**
   * The longest a later event of an alert waits for an earlier one to the same target; past it, it
   * goes anyway and its record has an `out_of_order` warning. Longer than `lockDurationMs` +
   * `stalledIntervalMs` by default, so that the job of a killed worker comes back in time.
   * @default lockDurationMs + stalledIntervalMs + 30000
   */
  orderWaitMs?: number;
  /** How long an alert's thread (its parent's ts) and its Web API messages are kept for edits. @default 2592000000 (30 days) */
  threadTtlMs?: number;
}

/** The `smtpLimit` option: one limit per SMTP server, named by its host. */
export interface SmtpLimit extends RateLimit {
  /** The SMTP server the email route sends through, e.g. 'smtp.example.com' (only its digest is stored). */
  host: string;
}

const checkLimit = (name: string, limit: RateLimit) => {
  if (typeof limit !== 'object' || limit === null || Array.isArray(limit))
    throw new ConfigError(`${name} must be { perSecond, burst } or false, got ${String(limit)}`);
  if (!Number.isFinite(limit.perSecond) || limit.perSecond <= 0)
    throw new ConfigError(`${name}.perSecond must be a number greater than 0, got ${limit.perSecond}`);
  if (!Number.isInteger(limit.burst) || limit.burst < 1)
    throw new ConfigError(`${name}.burst must be an integer of at least 1, got ${limit.burst}`);
};

/**
 * The shared limit of each route kind. `limits: false` is none at all; an object gives each kind its
 * limit or `false`, over the defaults. Anything else is refused: a worker option of the wrong shape
 * is never ignored.
 */
function limitsOf(
  limits: DeliveryWorkerOptions['limits'],
  smtpLimit: SmtpLimit | undefined,
): Record<RouteKind, false | RateLimit> {
  if (limits === false) return { email: smtpLimit ?? false, slack: false, slackApi: false };
  if (limits !== undefined && (typeof limits !== 'object' || limits === null || Array.isArray(limits)))
    throw new ConfigError(
      `limits must be false (no shared limits) or per kind, e.g. { slack: { perSecond: 1, burst: 5 }, email: false }, got ${String(limits)}`,
    );
  for (const [kind, limit] of Object.entries(limits ?? {})) {
    if (!(ROUTE_KINDS as readonly string[]).includes(kind))
      throw new ConfigError(`limits.${kind} is not a route kind; expected ${ROUTE_KINDS.join(', ')}`);
    if (limit !== false && limit !== undefined) checkLimit(`limits.${kind}`, limit);
  }
  const merged = { ...queueDefaults.limits, ...limits };
  // Email through one SMTP server shares one limit when `smtpLimit` is set.
  if (smtpLimit) merged.email = { perSecond: smtpLimit.perSecond, burst: smtpLimit.burst };
  return merged;
}

/** The options of a worker, checked, with their defaults. */
export function resolveWorkerOptions(options: DeliveryWorkerOptions<unknown>) {
  const { directory, routes } = options;
  if (!directory || typeof directory.get !== 'function')
    throw new ConfigError('directory must have a get(organizationId) method');
  const kinds = ROUTE_KINDS.filter((kind) => routes?.[kind]);
  if (kinds.length === 0) throw new ConfigError('routes must have at least one of email, slack, slackApi');
  const smtpLimit = options.smtpLimit || undefined;
  if (smtpLimit) {
    checkLimit('smtpLimit', smtpLimit);
    if (typeof smtpLimit.host !== 'string' || smtpLimit.host.trim() === '')
      throw new ConfigError(
        `smtpLimit.host must be the SMTP server's host name, got '${String(smtpLimit.host)}'`,
      );
  }
  const lockDurationMs = ms('lockDurationMs', options.lockDurationMs, queueDefaults.lockDurationMs);
  const stalledIntervalMs = ms('stalledIntervalMs', options.stalledIntervalMs, lockDurationMs);
  if (options.conversation !== undefined && typeof options.conversation !== 'boolean')
    throw new ConfigError(`conversation must be true or false, got ${String(options.conversation)}`);
  return {
    directory,
    routes: routes as Routes<unknown>,
    kinds,
    concurrency: count('concurrency', options.concurrency, queueDefaults.concurrency),
    deliveryAttempts: count('deliveryAttempts', options.deliveryAttempts, queueDefaults.deliveryAttempts),
    claimTtlMs: ms('claimTtlMs', options.claimTtlMs, queueDefaults.claimTtlMs),
    lookupTimeoutMs: ms('lookupTimeoutMs', options.lookupTimeoutMs, notifierDefaults.lookupTimeoutMs),
    sendTimeoutMs: ms('sendTimeoutMs', options.sendTimeoutMs, queueDefaults.sendTimeoutMs),
    sentTtlMs: ms('sentTtlMs', options.sentTtlMs, queueDefaults.sentTtlMs),
    maxDeferralMs: ms('maxDeferralMs', options.maxDeferralMs, queueDefaults.maxDeferralMs, 0),
    shortWaitMs: ms('shortWaitMs', options.shortWaitMs, queueDefaults.shortWaitMs, 0),
    maxHoldMs: ms('maxHoldMs', options.maxHoldMs, queueDefaults.maxHoldMs),
    lockDurationMs,
    stalledIntervalMs,
    conversation: options.conversation ?? true,
    orderWaitMs: ms(
      'orderWaitMs',
      options.orderWaitMs,
      lockDurationMs + stalledIntervalMs + queueDefaults.orderWaitMarginMs,
      0,
    ),
    threadTtlMs: ms('threadTtlMs', options.threadTtlMs, queueDefaults.threadTtlMs),
    statusTtlMs: ms('statusTtlMs', options.statusTtlMs, queueDefaults.statusTtlMs),
    streamMaxLen: count('streamMaxLen', options.streamMaxLen, queueDefaults.streamMaxLen),
    unservedAfterMs: ms('unservedAfterMs', options.unservedAfterMs, queueDefaults.unservedAfterMs),
    limits: limitsOf(options.limits, smtpLimit),
    // The key of the one limit for all email through an SMTP server (its digest is what Redis sees).
    smtpLimitKey: smtpLimit ? `smtp:${smtpLimit.host.trim().toLowerCase()}` : undefined,
    backoff: options.backoff ?? {},
  };
}
export type WorkerSettings = ReturnType<typeof resolveWorkerOptions>;
