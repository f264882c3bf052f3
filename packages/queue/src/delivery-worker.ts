import {
  type AlertEvent,
  type BackoffOptions,
  backoffDelay,
  ConfigError,
  type DeliveryReceipt,
  type DeliveryRecord,
  type DeliveryStatus,
  deliveryKey,
  isNotifyError,
  NotifyError,
  type NotifyErrorCode,
  planTargets,
  type QueueState,
  ROUTE_KINDS,
  type RouteKind,
  type Routes,
  recordChannel,
  redactSecrets,
  type SkipReason,
  secretsOf,
  sleep,
  type TenantConfig,
  type TenantDirectory,
  toNotifyError,
} from '@pytake/notify-core';
import { DelayedError, type Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { queueDefaults } from './defaults.js';
import { readTargetStatuses, statusField, statusKey, writeTargetStatus } from './event-status.js';
import { eventOfJob } from './job-event.js';
import { type DeliveryJobData, deliveryJobId, type EventJobData, queueNames } from './job-ids.js';
import { appendRecord, recordsStreamKey } from './record-stream.js';
import { createRedisClient, hashTagPrefix, type RedisConnection } from './redis-connection.js';
import { createRedisIdempotencyStore, idempotencyRedisKey } from './redis-idempotency-store.js';
import { createRedisRateLimiter, type RateLimit } from './redis-rate-limiter.js';
import { type DeliveryRun, type EventRun, startDeliveryRun, startEventRun } from './tracing.js';

export interface DeliveryWorkerOptions<SlackMessage = unknown> {
  /** Where Redis is: a URL or ioredis options. */
  connection: RedisConnection;
  /** Looked up again for every delivery: job data holds fingerprints only, never addresses or URLs. */
  directory: TenantDirectory;
  /** The same routes `createNotifier()` takes. Give channels one attempt each: BullMQ retries. */
  routes: Routes<SlackMessage>;
  /** Must match the producer's. @default '{pytake-notify}' */
  prefix?: string;
  /** Jobs at once, per queue (events, and each route kind). @default 8 */
  concurrency?: number;
  /** Called with every record, exactly as `notify()` would. Errors thrown here are ignored. */
  onDelivery?: (record: DeliveryRecord) => void;
  /** Worker-level errors (Redis connection lost, ...), for logs. */
  onError?: (error: Error) => void;
  /** What the shared rate limits did to each delivery: slots granted, waits, 429 holds. Errors thrown here are ignored. */
  onRateLimit?: (event: RateLimitEvent) => void;
  /** Shared limits per route kind, per target; `false` for none. @default slack and slackApi 1/s burst 5, email none */
  limits?: Partial<Record<RouteKind, false | RateLimit>>;
  /**
   * One shared limit for all email sent through one SMTP server, whatever the recipients and the
   * organization (`limits.email` is per recipient set): `{ host: 'smtp.example.com', perSecond: 10,
   * burst: 20 }`, keyed by the host's digest. When set, it replaces `limits.email`. @default none
   */
  smtpLimit?: false | SmtpLimit;
  /** Backoff between attempts of a delivery. @default core's (1 s, ×2, full jitter, max 30 s) */
  backoff?: BackoffOptions;
  /** @default 5 */
  deliveryAttempts?: number;
  /** @default 60000 */
  claimTtlMs?: number;
  /** @default 86400000 */
  sentTtlMs?: number;
  /** @default 900000 */
  maxDeferralMs?: number;
  /** @default 60000 */
  maxHoldMs?: number;
  /** A wait for a reserved rate-limit slot up to this long is waited in the worker, not as a delayed job. @default 250 */
  shortWaitMs?: number;
  /** BullMQ's lock of an active job. @default 30000 */
  lockDurationMs?: number;
  /** How often stalled jobs (of a dead worker) are looked for. @default lockDurationMs */
  stalledIntervalMs?: number;
  /** @default 604800000 */
  statusTtlMs?: number;
  /** @default 10000 */
  streamMaxLen?: number;
}

/** The `smtpLimit` option: one limit per SMTP server, named by its host. */
export interface SmtpLimit extends RateLimit {
  /** The SMTP server the email route sends through, e.g. 'smtp.example.com' (only its digest is stored). */
  host: string;
}

const checkLimit = (name: string, limit: RateLimit) => {
  if (typeof limit !== 'object' || limit === null)
    throw new ConfigError(`${name} must be { perSecond, burst } or false, got ${String(limit)}`);
  if (!Number.isFinite(limit.perSecond) || limit.perSecond <= 0)
    throw new ConfigError(`${name}.perSecond must be a number greater than 0, got ${limit.perSecond}`);
  if (!Number.isInteger(limit.burst) || limit.burst < 1)
    throw new ConfigError(`${name}.burst must be an integer of at least 1, got ${limit.burst}`);
};

/** What the shared rate limit did to one delivery (`onRateLimit`). Holds no address or URL. */
export type RateLimitEvent = {
  route: RouteKind;
  /** The target's fingerprint, a digest. */
  fingerprint: string;
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

export interface DeliveryWorker {
  /** Resolves once every queue's worker is connected and taking jobs. */
  ready(): Promise<void>;
  /**
   * Stops taking jobs, lets held ones finish for at most `timeoutMs` (default 10 s), then aborts
   * the rest (their jobs go back to the queue when their lock expires) and closes the connections.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

// An attempt that failed but may succeed later: thrown to BullMQ, which retries it with our backoff.
class RetryLater extends NotifyError {
  constructor(message: string, code: NotifyErrorCode, retryAfterMs?: number) {
    super(message, { code, retryable: true, retryAfterMs });
    this.name = 'RetryLater';
  }
}

const int = (name: string, value: number | undefined, fallback: number, min = 1) => {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min)
    throw new ConfigError(`${name} must be a number of at least ${min}, got ${value}`);
  return value;
};

/**
 * Creates the worker side: an event job is planned with core's routing and fanned out to one delivery
 * job per target (one bulk add per route kind); a delivery job is sent through its route's channel
 * with a shared rate limit and effectively once, and recorded.
 */
export function createDeliveryWorker<SlackMessage = unknown>(
  options: DeliveryWorkerOptions<SlackMessage>,
): DeliveryWorker {
  const { directory, routes } = options;
  if (!directory || typeof directory.get !== 'function')
    throw new ConfigError('directory must have a get(organizationId) method');
  const kinds = ROUTE_KINDS.filter((kind) => routes?.[kind]);
  if (kinds.length === 0) throw new ConfigError('routes must have at least one of email, slack, slackApi');
  const prefix = hashTagPrefix(options.prefix ?? queueDefaults.prefix);
  const concurrency = int('concurrency', options.concurrency, queueDefaults.concurrency);
  const attempts = int('deliveryAttempts', options.deliveryAttempts, queueDefaults.deliveryAttempts);
  const claimTtlMs = int('claimTtlMs', options.claimTtlMs, queueDefaults.claimTtlMs);
  const sentTtlMs = int('sentTtlMs', options.sentTtlMs, queueDefaults.sentTtlMs);
  const maxDeferralMs = int('maxDeferralMs', options.maxDeferralMs, queueDefaults.maxDeferralMs, 0);
  const shortWaitMs = int('shortWaitMs', options.shortWaitMs, queueDefaults.shortWaitMs, 0);
  const maxHoldMs = int('maxHoldMs', options.maxHoldMs, queueDefaults.maxHoldMs);
  const lockDurationMs = int('lockDurationMs', options.lockDurationMs, queueDefaults.lockDurationMs);
  const stalledIntervalMs = int('stalledIntervalMs', options.stalledIntervalMs, lockDurationMs);
  const statusTtlMs = int('statusTtlMs', options.statusTtlMs, queueDefaults.statusTtlMs);
  const streamMaxLen = int('streamMaxLen', options.streamMaxLen, queueDefaults.streamMaxLen);
  const limits = { ...queueDefaults.limits, ...options.limits };
  for (const [kind, limit] of Object.entries(options.limits ?? {}))
    if (limit !== false && limit !== undefined) checkLimit(`limits.${kind}`, limit);
  const smtpLimit = options.smtpLimit || undefined;
  if (smtpLimit) {
    checkLimit('smtpLimit', smtpLimit);
    if (typeof smtpLimit.host !== 'string' || smtpLimit.host.trim() === '')
      throw new ConfigError(
        `smtpLimit.host must be the SMTP server's host name, got '${String(smtpLimit.host)}'`,
      );
  }
  const backoff = options.backoff ?? {};

  // Workers must wait out a Redis outage rather than fail their commands (BullMQ requires null here).
  const redis = createRedisClient(options.connection, { maxRetriesPerRequest: null });
  redis.on('error', (error) => options.onError?.(error));
  const store = createRedisIdempotencyStore({ connection: redis, prefix });
  const limiter = createRedisRateLimiter(redis, prefix);
  const queues = Object.fromEntries(
    kinds.map((kind) => [kind, new Queue<DeliveryJobData>(queueNames[kind], { connection: redis, prefix })]),
  ) as Partial<Record<RouteKind, Queue<DeliveryJobData>>>;
  for (const queue of Object.values(queues)) queue.on('error', (error) => options.onError?.(error));
  const closing = new AbortController();

  const emitRecord = async (record: DeliveryRecord) => {
    try {
      options.onDelivery?.(record);
    } catch {
      // A broken metrics hook must not turn a delivered alert into a failed job.
    }
    await appendRecord(redis, prefix, record, streamMaxLen);
  };
  const setStatus = (
    eventId: string,
    route: RouteKind,
    fingerprint: string,
    entry: {
      target: string;
      state: DeliveryStatus | QueueState;
      reason?: SkipReason;
      error?: DeliveryRecord['error'];
    },
    // An outcome's record goes in the same command (and after a send, the sent marker of this key).
    outcome?: { record: DeliveryRecord; sentKey?: string },
  ) =>
    writeTargetStatus(
      redis,
      statusKey(prefix, eventId),
      statusField(route, fingerprint),
      { route, channel: recordChannel[route], ...entry },
      {
        ttlMs: statusTtlMs,
        ...(outcome && {
          record: {
            stream: recordsStreamKey(prefix),
            json: JSON.stringify(outcome.record),
            maxLen: streamMaxLen,
          },
          ...(outcome.sentKey && {
            sent: { key: idempotencyRedisKey(prefix, outcome.sentKey), ttlMs: sentTtlMs },
          }),
        }),
      },
    );

  const parse = (data: { event: unknown }): AlertEvent => {
    try {
      return eventOfJob(data.event);
    } catch (error) {
      // Only a job written by something else than enqueue() can get here; it will never parse.
      throw new UnrecoverableError(`job data is not a valid event: ${(error as Error).message}`);
    }
  };
  const lookUp = async (organizationId: string): Promise<TenantConfig | undefined> => {
    try {
      return await directory.get(organizationId);
    } catch (caught) {
      const error = toNotifyError(caught, 'transient');
      throw new RetryLater(`directory.get failed: ${error.message}`, 'transient');
    }
  };
  const baseOf = (event: AlertEvent) => ({
    organizationId: event.alert.organizationId,
    alertId: event.alert.id,
    eventType: event.type,
  });

  // One span per run of an event job (core's `notify` span), in the trace of the enqueuing call.
  async function processEvent(job: Job<EventJobData>) {
    const event = parse(job.data);
    const run = startEventRun(event, job, queueNames.events);
    try {
      run.end({ queued: await planEvent(job, event, run) });
    } catch (error) {
      const code =
        error instanceof UnrecoverableError ? 'config' : isNotifyError(error) ? error.code : 'transient';
      if (!(error instanceof UnrecoverableError) && job.attemptsMade + 1 < (job.opts.attempts ?? 1))
        run.retry(job.attemptsMade + 1, code);
      run.end({ error: code });
      throw error;
    }
  }

  // Plans one event job; returns how many delivery jobs it added.
  async function planEvent(job: Job<EventJobData>, event: AlertEvent, run: EventRun): Promise<number> {
    const eventId = job.id!;
    const base = baseOf(event);
    const emit = (record: DeliveryRecord) => {
      run.record(record);
      return emitRecord(record);
    };
    // An outcome for the whole organization: every route of the event is dead with `failure`.
    const failEveryRoute = async (failure: { code: NotifyErrorCode; message: string }, attempts: number) => {
      for (const kind of kinds) {
        await setStatus(eventId, kind, '-', { target: '-', state: 'dead', error: failure });
        await emit({
          ...base,
          channel: recordChannel[kind],
          target: '-',
          status: 'failed',
          error: failure,
          attempts,
          durationMs: 0,
          at: new Date(),
        });
      }
      await job.updateData({ ...job.data, lastError: failure } as EventJobData);
    };
    let tenant: TenantConfig | undefined;
    try {
      tenant = await lookUp(event.alert.organizationId);
    } catch (error) {
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1)) {
        await failEveryRoute({ code: 'transient', message: (error as Error).message }, job.attemptsMade + 1);
      }
      throw error;
    }
    if (tenant === undefined) {
      for (const kind of kinds) {
        await setStatus(eventId, kind, '-', {
          target: '-',
          state: 'skipped',
          reason: 'unknown_organization',
        });
        await emit({
          ...base,
          channel: recordChannel[kind],
          target: '-',
          status: 'skipped',
          reason: 'unknown_organization',
          attempts: 0,
          durationMs: 0,
          at: new Date(),
        });
      }
      return 0;
    }
    const trace = run.carrier();
    const bulk = new Map<RouteKind, Parameters<Queue<DeliveryJobData>['addBulk']>[0]>();
    const waiting: Promise<void>[] = [];
    let planned: ReturnType<typeof planTargets>;
    try {
      planned = planTargets(event, tenant, routes);
    } catch (error) {
      // A directory row that is not a valid tenant config: nothing can be sent until it is fixed, so
      // every route of the event is dead with `config` (retry it from the dead letters once fixed).
      if (!isNotifyError(error) || error.code !== 'config') throw error;
      await failEveryRoute({ code: 'config', message: error.message }, 0);
      throw new UnrecoverableError(error.message);
    }
    for (const target of planned) {
      const display = target.display;
      if (target.skip || !target.deliver || !queues[target.route]) {
        const reason = target.skip ?? 'no_route';
        await setStatus(eventId, target.route, target.fingerprint, {
          target: display,
          state: 'skipped',
          reason,
        });
        await emit({
          ...base,
          channel: recordChannel[target.route],
          target: display,
          status: 'skipped',
          reason,
          attempts: 0,
          durationMs: 0,
          at: new Date(),
        });
        continue;
      }
      // Issued before the job is added, on the same connection, so Redis has it first (and a queue
      // state never replaces an outcome anyway). Not awaited one by one: all go out with the bulk add.
      const written = setStatus(eventId, target.route, target.fingerprint, {
        target: display,
        state: 'waiting',
      });
      // Awaited below; handled now, so that a failure while a skip is still awaited is not unhandled.
      written.catch(() => {});
      waiting.push(written);
      const jobs = bulk.get(target.route) ?? [];
      jobs.push({
        name: 'delivery',
        data: {
          event: job.data.event,
          eventId,
          fingerprint: target.fingerprint,
          ...(trace ? { trace } : {}),
        },
        opts: {
          // The same id when this event job runs again after a crash: no second delivery job.
          jobId: deliveryJobId(event, target),
          attempts,
          backoff: { type: 'notify' },
          removeOnComplete: { count: queueDefaults.keepCompleted },
          removeOnFail: false,
          stackTraceLimit: 1,
        },
      });
      bulk.set(target.route, jobs);
    }
    let queued = 0;
    const adds = [...bulk].map(([kind, jobs]) => {
      queued += jobs.length;
      return queues[kind]!.addBulk(jobs);
    });
    await Promise.all([...waiting, ...adds]);
    return queued;
  }

  // Anything unexpected (Redis answering an error mid-job, say) is retried like a transient failure,
  // and its status says so; on the last attempt the delivery is a dead letter with that error.
  function guarded(kind: RouteKind) {
    const process = processorFor(kind);
    return async (job: Job<DeliveryJobData>, token?: string, signal?: AbortSignal) => {
      // One span per run of the delivery job, in its event's trace; the processor ends it with the
      // record it made or the queue state it left the delivery in.
      const run = startDeliveryRun(kind, job, queueNames[kind]);
      try {
        return await process(job, token, signal, run);
      } catch (caught) {
        if (caught instanceof UnrecoverableError) run.failed('validation', true);
        if (
          caught instanceof DelayedError ||
          caught instanceof UnrecoverableError ||
          caught instanceof RetryLater
        ) {
          throw caught;
        }
        const error = toNotifyError(caught, 'transient');
        const failure = { code: error.code, message: error.message };
        const { eventId, fingerprint } = job.data;
        const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        run.failed(error.code, last);
        // Keep the target as the status shows it (this path does not know the tenant).
        const shown = await readTargetStatuses(redis, statusKey(prefix, eventId))
          .then((entries) => entries.get(statusField(kind, fingerprint))?.target ?? '-')
          .catch(() => '-');
        await setStatus(eventId, kind, fingerprint, {
          target: shown,
          state: last ? 'dead' : 'retrying',
          error: failure,
        }).catch(() => {});
        if (last) await job.updateData({ ...job.data, lastError: failure }).catch(() => {});
        throw caught;
      } finally {
        run.end();
      }
    };
  }

  function processorFor(kind: RouteKind) {
    const route = routes[kind]!;
    // Email through one SMTP server shares one limit when `smtpLimit` is set; otherwise per target.
    const hostLimit = kind === 'email' && smtpLimit ? smtpLimit : undefined;
    const limit: false | RateLimit = hostLimit
      ? { perSecond: hostLimit.perSecond, burst: hostLimit.burst }
      : limits[kind];
    return async (
      job: Job<DeliveryJobData>,
      token: string | undefined,
      signal: AbortSignal | undefined,
      run: DeliveryRun,
    ) => {
      const data = job.data;
      const event = parse(data);
      const base = { ...baseOf(event), channel: recordChannel[kind] };
      const { eventId, fingerprint } = data;
      let display = '-';
      // The outcome: status, record (and after a send, the sent marker) in one script, one round trip.
      const finish = async (
        record: Omit<DeliveryRecord, keyof typeof base | 'at' | 'target'>,
        state: DeliveryStatus | QueueState = record.status,
        sentKey?: string,
      ) => {
        const full: DeliveryRecord = { ...base, target: display, ...record, at: new Date() };
        run.record(full);
        try {
          options.onDelivery?.(full);
        } catch {
          // A broken metrics hook must not turn a delivered alert into a failed job.
        }
        await setStatus(
          eventId,
          kind,
          fingerprint,
          { target: display, state, reason: record.reason, error: record.error },
          { record: full, sentKey },
        );
      };
      const dead = async (
        error: { code: NotifyErrorCode; message: string },
        extra: { attempts: number; durationMs: number; idempotencyKey?: string },
      ) => {
        await job.updateData({ ...data, lastError: error });
        await finish({ status: 'failed', error, ...extra }, 'dead');
        return new UnrecoverableError(error.message);
      };
      // Rate limits, holds and claims held elsewhere: wait as a delayed job, which spends no attempt.
      // Time this run waited for its slot in process (short waits), counted against maxDeferralMs.
      let waitedHere = 0;
      const defer = async (
        waitMs: number,
        why: 'rate_limit' | 'held' | 'claim',
        slot?: { generation: number; at: number },
      ) => {
        const deferredMs = (data.deferredMs ?? 0) + waitedHere + waitMs;
        if (deferredMs > maxDeferralMs) {
          throw await dead(
            {
              code: 'rate_limited',
              message: `deferred by rate limits for longer than maxDeferralMs (${maxDeferralMs} ms)`,
            },
            { attempts: job.attemptsMade, durationMs: 0 },
          );
        }
        run.wait(waitMs, why);
        // Both before the move (one connection keeps their order), without a round trip between them.
        await Promise.all([
          job.updateData({ ...data, deferredMs, slot }),
          setStatus(eventId, kind, fingerprint, { target: display, state: 'delayed' }),
        ]);
        await job.moveToDelayed(Date.now() + Math.ceil(waitMs), token);
        throw new DelayedError();
      };

      let tenant: TenantConfig | undefined;
      try {
        tenant = await lookUp(event.alert.organizationId);
      } catch (error) {
        const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        const failure = { code: 'transient' as const, message: (error as Error).message };
        if (last) throw await dead(failure, { attempts: job.attemptsMade + 1, durationMs: 0 });
        run.failed('transient', false);
        await setStatus(eventId, kind, fingerprint, { target: display, state: 'retrying', error: failure });
        throw error;
      }
      let target: ReturnType<typeof planTargets>[number] | undefined;
      try {
        target = tenant
          ? planTargets(event, tenant, routes).find((t) => t.route === kind && t.fingerprint === fingerprint)
          : undefined;
      } catch (error) {
        // The row became invalid since planning: dead with `config` until it is fixed and retried.
        if (!isNotifyError(error) || error.code !== 'config') throw error;
        throw await dead(
          { code: 'config', message: error.message },
          { attempts: job.attemptsMade + 1, durationMs: 0 },
        );
      }
      if (!tenant || !target || target.skip || !target.deliver) {
        // Gone from the directory since the event was planned, or switched off: not sent, on purpose.
        if (tenant && target) display = target.display;
        await finish({
          status: 'skipped',
          reason: target?.skip ?? 'not_configured',
          attempts: 0,
          durationMs: 0,
        });
        return;
      }
      display = target.display;
      const secrets = secretsOf(tenant);
      const idempotencyKey = deliveryKey(event, target);
      const duplicate = () => finish({ status: 'duplicate', attempts: 0, durationMs: 0, idempotencyKey });
      // The sent marker: a job that runs again after its send was recorded sends nothing, and takes no
      // rate-limit slot. (Without a limit, the claim below answers the same question.)
      if (limit && (await store.peek(idempotencyKey)) === 'delivered') return duplicate();
      const limitKey = hostLimit ? `smtp:${hostLimit.host.trim().toLowerCase()}` : `${kind}:${fingerprint}`;
      const rateLimitEvent = (
        event: DistributiveOmit<RateLimitEvent, 'route' | 'fingerprint' | 'eventId'>,
      ) => {
        try {
          options.onRateLimit?.({ route: kind, fingerprint, eventId, ...event } as RateLimitEvent);
        } catch {
          // A broken log hook must not fail a delivery.
        }
      };
      // A short wait for a reserved slot is waited here (the job keeps its lock, which BullMQ renews
      // while it runs), a longer one as a delayed job: a delayed job comes back late, a timer does not.
      for (let round = 0, reserved = data.slot; limit; round++) {
        const remaining = maxDeferralMs - (data.deferredMs ?? 0) - waitedHere;
        const slot = await limiter.take(limitKey, limit, { maxWaitMs: remaining, slot: reserved });
        if (slot.kind === 'denied') {
          if (slot.waitMs > remaining) {
            throw await dead(
              {
                code: 'rate_limited',
                message: `${display} is rate limited for ${slot.waitMs} ms, longer than the ${Math.max(0, remaining)} ms of deferral left`,
              },
              { attempts: job.attemptsMade, durationMs: 0 },
            );
          }
          rateLimitEvent({ kind: 'deferred', waitMs: slot.waitMs, held: slot.held });
          return defer(slot.waitMs, slot.held ? 'held' : 'rate_limit');
        }
        if (slot.kind === 'reserved') {
          rateLimitEvent({ kind: 'deferred', waitMs: slot.waitMs, held: false });
          if (slot.waitMs > shortWaitMs || round >= 3 || slot.waitMs > remaining)
            return defer(slot.waitMs, 'rate_limit', slot.slot);
          run.wait(slot.waitMs, 'rate_limit', true);
          // close() cuts the wait short: then the job waits out the rest as a delayed job.
          const cut = await sleep(slot.waitMs, closing.signal).then(
            () => false,
            () => true,
          );
          if (cut) return defer(slot.waitMs, 'rate_limit', slot.slot);
          waitedHere += slot.waitMs;
          reserved = slot.slot;
          continue;
        }
        rateLimitEvent({ kind: 'granted', at: slot.at });
        break;
      }
      // The claim: a job whose lock was lost while its first worker still sends is not sent twice.
      const claim = await store.claim(idempotencyKey, claimTtlMs);
      if (claim === 'delivered') return duplicate();
      if (claim === 'in_flight') return defer(Math.min(claimTtlMs, 1000), 'claim');

      const started = performance.now();
      let receipt: DeliveryReceipt;
      try {
        const content = await route.render(event, tenant as never);
        receipt = await target.deliver(content, {
          signal: signal ? AbortSignal.any([signal, closing.signal]) : closing.signal,
          idempotencyKey,
        });
      } catch (caught) {
        if (caught instanceof DelayedError || caught instanceof UnrecoverableError) throw caught;
        await store.release(idempotencyKey).catch(() => {});
        if (closing.signal.aborted) {
          // Aborted by close() past its deadline: not a failure of the delivery. Back to the queue at
          // once, no attempt spent (if this does not reach Redis, the lock expiry brings it back).
          run.requeued();
          await setStatus(eventId, kind, fingerprint, { target: display, state: 'waiting' }).catch(() => {});
          await job.moveToDelayed(Date.now(), token).catch(() => {});
          throw new DelayedError();
        }
        const error = toNotifyError(caught);
        // A provider or transport error may quote the webhook URL or an address; it is stored, so strip them.
        const message = redactSecrets(error.message, secrets);
        const durationMs = Math.round(performance.now() - started);
        if (error.code === 'rate_limited' && limit) {
          // A 429: hold the target for every worker, then take a slot again. No attempt is spent.
          const holdMs = await limiter.hold(
            limitKey,
            limit,
            Math.min(maxHoldMs, error.retryAfterMs ?? queueDefaults.defaultHoldMs),
          );
          rateLimitEvent({ kind: 'held', holdMs });
          return defer(holdMs, 'held');
        }
        const failure = { code: error.code, message };
        const last = !error.retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        if (last) throw await dead(failure, { attempts: job.attemptsMade + 1, durationMs, idempotencyKey });
        run.failed(error.code, false);
        // The slot this run was granted is spent: the retry takes a new one (the limiter keeps a
        // reserved slot for a job that comes back late, so a slot left here would be used twice).
        if (data.slot) await job.updateData({ ...data, slot: undefined });
        await setStatus(eventId, kind, fingerprint, { target: display, state: 'retrying', error: failure });
        throw new RetryLater(message, error.code, error.retryAfterMs);
      }
      // Sent. From here on nothing may count as a failed send (that would send it again): the marker,
      // status and record in one script, so that Redis has all three or none.
      const refused = receipt.refused?.length ? { refused: receipt.refused } : {};
      const status = receipt.refused?.length ? 'partial' : 'delivered';
      await finish(
        {
          status,
          attempts: job.attemptsMade + receipt.attempts,
          durationMs: receipt.durationMs,
          providerId: receipt.providerId,
          ...refused,
          idempotencyKey,
        },
        status,
        idempotencyKey,
      );
    };
  }

  const settings = {
    // Core's backoff (full jitter by default), or the provider's Retry-After when that is longer.
    backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) => {
      const retryAfter = isNotifyError(error) ? Math.min(maxHoldMs, error.retryAfterMs ?? 0) : 0;
      return Math.max(backoffDelay(attemptsMade, backoff), retryAfter);
    },
  };
  const common = {
    connection: redis,
    prefix,
    concurrency,
    lockDuration: lockDurationMs,
    stalledInterval: stalledIntervalMs,
    maxStalledCount: 2,
    settings,
  };
  const workers = [
    new Worker<EventJobData>(queueNames.events, processEvent, common),
    ...kinds.map((kind) => new Worker<DeliveryJobData>(queueNames[kind], guarded(kind), common)),
  ];
  for (const worker of workers) worker.on('error', (error) => options.onError?.(error));

  let closed: Promise<void> | undefined;
  return {
    async ready() {
      await Promise.all(workers.map((w) => w.waitUntilReady()));
    },
    close({ timeoutMs = queueDefaults.closeTimeoutMs } = {}) {
      closed ??= (async () => {
        const graceful = Promise.all(workers.map((w) => w.close())).then(() => true);
        const done = await Promise.race([graceful, sleep(timeoutMs).then(() => false)]);
        if (!done) {
          // Past the deadline: abort the sends still running; their jobs go back when their locks expire.
          closing.abort(new NotifyError('the worker is shutting down', { code: 'aborted' }));
          await Promise.all(workers.map((w) => w.close(true)));
        }
        await Promise.all(Object.values(queues).map((q) => q.close()));
        await redis.quit().catch(() => redis.disconnect());
      })();
      return closed;
    },
  };
}
