import {
  type AlertEvent,
  type AlertEventInput,
  type AlertInput,
  alertSchema,
  asParsedAlertEvent,
  checkEventSize,
  DEFAULT_MAX_EVENT_BYTES,
  formatZodIssues,
  parseAlertEvent,
  ROUTE_KINDS,
  type RouteKind,
  ValidationError,
} from '@pytake/notify-core';
import { Job, Queue } from 'bullmq';
import { type AlertIndexReader, createAlertIndexReader } from './alert-index.js';
import { orderScore } from './conversation.js';
import { createDeadLetters, type DeadLetters } from './dead-letters.js';
import { queueDefaults } from './defaults.js';
import { QueueUnavailableError } from './errors/queue-unavailable-error.js';
import { type EventStatus, readTargetStatuses } from './event-status.js';
import { type QueueJobCounts, type QueueName, readJobCounts } from './job-counts.js';
import type { EventJobData, MessageUpdateJobData } from './job-data.js';
import { eventJobId, queueNames } from './job-ids.js';
import { createMessageUpdates } from './message-updates.js';
import { count, positive } from './option-checks.js';
import { queueKeys } from './queue-keys.js';
import { createRecordsReader, type RecordsReader } from './records-reader.js';
import { createRedisClient, hashTagPrefix, type RedisConnection, whenReady } from './redis-connection.js';
import { type RateLimitHold, readRateLimitHolds } from './redis-rate-limiter.js';
import { traceCarrier } from './tracing.js';

/** Options of `createNotificationQueue`. */
export interface NotificationQueueOptions {
  /** Where Redis is: a URL or ioredis options. The queue makes its own fail-fast connection. */
  connection: RedisConnection;
  /** Key prefix, in hash-tag form. @default `'{pytake-notify}'` */
  prefix?: string;
  /** How long the same event identity gives the same job. @default 86400000 (24 h) */
  dedupTtlMs?: number;
  /** `enqueue()` fails with QueueUnavailableError when Redis is not reachable within this. @default 2000 */
  connectTimeoutMs?: number;
  /** Attempts of an event job (its directory lookup). @default 10 */
  eventAttempts?: number;
  /** How long per-event status is kept (read by `status()`). Must match the workers'. @default 7 days */
  statusTtlMs?: number;
  /** The largest event accepted, as JSON; a larger one is a ValidationError, as in `notify()`. @default 65536 */
  maxEventBytes?: number;
}

/** The producer: what a service uses to hand events over, and to see what became of them. */
export interface NotificationQueue {
  /**
   * Validates the event (ValidationError, exactly as `notify()`), and resolves once Redis has it,
   * with its job id. The same event (organization, alert, type and time) enqueued again, from any
   * process, within `dedupTtlMs` is the same job. Rejects with QueueUnavailableError when Redis is down.
   */
  enqueue(event: AlertEventInput | AlertEvent): Promise<{ id: string }>;
  /** What became of an event, by its job id or the event itself; undefined when unknown (or expired). */
  status(eventOrId: string | AlertEventInput | AlertEvent): Promise<EventStatus | undefined>;
  /**
   * Call after the alert's state changed (acknowledged, resolved, assigned: from a Slack button, a
   * console): a worker renders each Slack Web API message the queue posted for the alert again, for
   * `alert` as it is now, with the Web API route's renderer, and replaces it with `chat.update`.
   * Resolves once Redis has the request. Webhook messages cannot be edited this way: answer the
   * button press's `response_url` for those. Rejects with ValidationError for an invalid alert.
   */
  updateAlertMessages(alert: AlertInput): Promise<{ id: string }>;
  /** Deliveries that failed for good: list them, retry one or all. */
  deadLetters: DeadLetters;
  /**
   * The index of recent alerts the workers keep, per organization (`alertIndexDefaults`): a page of
   * them newest first (`list`), or one with its events and each target's state (`get`). What a
   * console shows, from any process.
   */
  alerts: AlertIndexReader;
  /**
   * The records stream every worker appends to (`streamMaxLen` kept): `after(id?, count?)` reads
   * what was written after a stream id, `bounds()` the oldest and newest ids kept. What a console's
   * live channel follows.
   */
  records: RecordsReader;
  /**
   * The targets held by a 429 now (every worker waits for them), soonest to end first, of
   * `organizationIds` (all when absent): what a console's queue view shows. Targets are redacted as
   * in the records. Rejects with QueueUnavailableError when Redis is down.
   */
  rateLimitHolds(organizationIds?: readonly string[]): Promise<RateLimitHold[]>;
  /**
   * Jobs per queue (`events` and one per route kind) and state (`QUEUE_JOB_STATES`), for a queue
   * panel or `registerQueueMetrics()`. Rejects with QueueUnavailableError when Redis is down.
   */
  jobCounts(): Promise<QueueJobCounts>;
  /** Closes the queue's Redis connections. */
  close(): Promise<void>;
}

/** Creates the producer side of the queue. * @example
 * ```ts
 * import { createNotificationQueue } from '@pytake/notify-queue';
 *
 * const queue = createNotificationQueue({ connection: process.env.REDIS_URL ?? 'redis://localhost:6379' });
 * const { id } = await queue.enqueue(event); // the same event again gives the same job
 * await queue.close();
 * ```
 */
export function createNotificationQueue(options: NotificationQueueOptions): NotificationQueue {
  const prefix = hashTagPrefix(options.prefix ?? queueDefaults.prefix);
  const dedupTtlMs = positive('dedupTtlMs', options.dedupTtlMs, queueDefaults.dedupTtlMs);
  const connectTimeoutMs = positive(
    'connectTimeoutMs',
    options.connectTimeoutMs,
    queueDefaults.connectTimeoutMs,
  );
  const eventAttempts = count('eventAttempts', options.eventAttempts, queueDefaults.eventAttempts);
  const statusTtlMs = positive('statusTtlMs', options.statusTtlMs, queueDefaults.statusTtlMs);
  const maxEventBytes = count('maxEventBytes', options.maxEventBytes, DEFAULT_MAX_EVENT_BYTES);
  // A producer is called from a request handler: when Redis is down, a fast typed error beats a
  // call that hangs, so no offline queue and one try per command.
  const redis = createRedisClient(options.connection, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: connectTimeoutMs,
    lazyConnect: true,
  });
  redis.on('error', () => {
    // Reported through enqueue()'s rejections; ioredis reconnects by itself.
  });
  const events = new Queue<EventJobData>(queueNames.events, { connection: redis, prefix });
  events.on('error', () => {});
  const deliveryQueues: Partial<Record<RouteKind, Queue>> = {};
  const deliveryQueue = (kind: RouteKind) => {
    deliveryQueues[kind] ??= new Queue(queueNames[kind], { connection: redis, prefix });
    deliveryQueues[kind].on('error', () => {});
    return deliveryQueues[kind];
  };
  for (const kind of ROUTE_KINDS) deliveryQueue(kind);
  const updatesQueue = new Queue<MessageUpdateJobData>(queueNames.messageUpdates, {
    connection: redis,
    prefix,
  });
  updatesQueue.on('error', () => {});
  const messageUpdates = createMessageUpdates(updatesQueue, queueDefaults.deliveryAttempts);
  const keys = queueKeys(prefix);
  const deadLetters = createDeadLetters(
    { events: events as Queue, ...deliveryQueues } as Parameters<typeof createDeadLetters>[0],
    redis,
    prefix,
    statusTtlMs,
  );

  const alertIndex = createAlertIndexReader(redis, keys);
  const recordsReader = createRecordsReader(redis, keys);

  // One wait shared by every call made while connecting, not one listener per call.
  let connecting: Promise<boolean> | undefined;
  const ensureReady = async () => {
    if (redis.status === 'ready') return;
    connecting ??= whenReady(redis, connectTimeoutMs).finally(() => {
      connecting = undefined;
    });
    if (!(await connecting)) {
      throw new QueueUnavailableError(
        `Redis is not reachable (no connection within connectTimeoutMs ${connectTimeoutMs} ms); the event was not enqueued`,
      );
    }
  };
  const unavailable = (cause: unknown) =>
    new QueueUnavailableError(
      `Redis did not take the event (${cause instanceof Error ? cause.message : String(cause)}); it was not enqueued`,
      { cause },
    );

  return {
    async enqueue(input) {
      // As notify() does: an event that already is what parseAlertEvent() returns is not parsed again.
      const event = asParsedAlertEvent(input) ?? parseAlertEvent(input);
      checkEventSize(event, maxEventBytes);
      const id = eventJobId(event);
      await ensureReady();
      try {
        // The caller's trace context rides along, so that the workers' spans join the caller's trace.
        const trace = traceCarrier();
        // Issued before the job, on the same connection, so that Redis has it first: from the moment
        // a worker may take the job, a later event of the alert waits for this one (see the worker's
        // conversations).
        const unplanned = keys.unplanned(event.alert.organizationId, event.alert.id);
        const registered = Promise.all([
          redis.zadd(unplanned, orderScore(event), id),
          redis.pexpire(unplanned, Math.ceil(statusTtlMs)),
        ]);
        const added = events.add('event', trace ? { event, trace } : { event }, {
          jobId: id,
          // Job ids alone dedupe only while the job is kept; the TTL keeps the identity for dedupTtlMs.
          deduplication: { id, ttl: dedupTtlMs },
          attempts: eventAttempts,
          backoff: { type: 'notify' },
          removeOnComplete: { count: queueDefaults.keepCompleted },
          removeOnFail: false,
        });
        const [, job] = await Promise.all([registered, added]);
        return { id: job.id ?? id };
      } catch (caught) {
        throw unavailable(caught);
      }
    },
    async status(eventOrId) {
      const id = typeof eventOrId === 'string' ? eventOrId : eventJobId(parseAlertEvent(eventOrId));
      await ensureReady();
      const targets = [...(await readTargetStatuses(redis, keys.status(id))).values()];
      if (targets.length > 0) return { id, state: 'planned', targets };
      const job = await Job.fromId(events, id);
      if (!job) return undefined;
      const state = await job.getState();
      if (state === 'failed') return { id, state: 'dead', targets };
      if (state === 'completed') return { id, state: 'planned', targets };
      if (state === 'delayed') return { id, state: job.attemptsMade > 0 ? 'retrying' : 'delayed', targets };
      return { id, state: 'waiting', targets };
    },
    async updateAlertMessages(input) {
      const parsed = alertSchema.safeParse(input, { reportInput: true });
      if (!parsed.success)
        throw new ValidationError('Invalid alert', formatZodIssues(parsed.error), { cause: parsed.error });
      const alert = parsed.data;
      await ensureReady();
      try {
        return await messageUpdates.add({
          organizationId: alert.organizationId,
          alertId: alert.id,
          alert: JSON.parse(JSON.stringify(alert)),
        });
      } catch (caught) {
        throw new QueueUnavailableError(
          `Redis did not take the message update (${caught instanceof Error ? caught.message : String(caught)})`,
          { cause: caught },
        );
      }
    },
    deadLetters,
    alerts: {
      async list(query) {
        await ensureReady();
        return alertIndex.list(query);
      },
      async get(organizationId, alertId) {
        await ensureReady();
        return alertIndex.get(organizationId, alertId);
      },
      async noteAction(organizationId, alertId, action) {
        await ensureReady();
        return alertIndex.noteAction(organizationId, alertId, action);
      },
    },
    records: {
      async after(after, count) {
        await ensureReady();
        return recordsReader.after(after, count);
      },
      async bounds() {
        await ensureReady();
        return recordsReader.bounds();
      },
    },
    async rateLimitHolds(organizationIds) {
      await ensureReady();
      try {
        return await readRateLimitHolds(redis, prefix, organizationIds);
      } catch (caught) {
        throw new QueueUnavailableError(
          `Redis did not answer the rate-limit holds (${caught instanceof Error ? caught.message : String(caught)})`,
          { cause: caught },
        );
      }
    },
    async jobCounts() {
      await ensureReady();
      const all = {
        [queueNames.events]: events,
        ...Object.fromEntries(ROUTE_KINDS.map((kind) => [queueNames[kind], deliveryQueues[kind]!])),
        // Edits of posted messages fail too (a revoked token, a deleted channel): counted like the rest.
        [queueNames.messageUpdates]: updatesQueue,
      } as Record<QueueName, Queue>;
      try {
        return await readJobCounts(all);
      } catch (caught) {
        throw new QueueUnavailableError(
          `Redis did not answer the job counts (${caught instanceof Error ? caught.message : String(caught)})`,
          { cause: caught },
        );
      }
    },
    async close() {
      await Promise.all([
        events.close(),
        updatesQueue.close(),
        ...Object.values(deliveryQueues).map((q) => q.close()),
      ]);
      await redis.quit().catch(() => redis.disconnect());
    },
  };
}
