import { setMaxListeners } from 'node:events';
import {
  lookUpTenant,
  NotifyError,
  ROUTE_KINDS,
  type RouteKind,
  redactSecrets,
  type TenantConfig,
  toNotifyError,
} from '@pytake/notify-core';
import { DelayedError, Job, Queue, UnrecoverableError, Worker } from 'bullmq';
import { indexAlertEvent } from './alert-index.js';
import { conversationOf, createConversations } from './conversation.js';
import { queueDefaults } from './defaults.js';
import { type DeliveryContext, deliveryProcessor } from './deliver-job.js';
import { DeadJob, RetryLater } from './delivery-errors.js';
import { watchDigestsDue } from './digest-jobs.js';
import { readTargetStatuses } from './event-status.js';
import { createEventStore } from './event-store.js';
import type { DeliveryJobData, EventJobData, MessageUpdateJobData } from './job-data.js';
import { queueNames } from './job-ids.js';
import { malformedJobData } from './malformed-job.js';
import { createMessageUpdates, messageUpdateProcessor } from './message-updates.js';
import { createOrderWakes } from './order-wakes.js';
import { createOutcomeWriter } from './outcome-writer.js';
import { eventProcessor } from './plan-event.js';
import { queueKeys, statusField } from './queue-keys.js';
import { createRedisClient, hashTagPrefix } from './redis-connection.js';
import { createRedisIdempotencyStore } from './redis-idempotency-store.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';
import { checkRedisServer } from './redis-server-check.js';
import { retryDelay } from './retry-delay.js';
import { startDeliveryRun } from './tracing.js';
import { watchUnservedDeliveries } from './unserved-deliveries.js';
import { type DeliveryWorkerOptions, resolveWorkerOptions } from './worker-options.js';
import { registerWorkerState, type WorkerState } from './worker-state.js';

/**
 * The worker side of the queue, made by `createDeliveryWorker`: it plans event jobs into deliveries and sends
 * them.
 */
export interface DeliveryWorker {
  /**
   * Resolves once Redis was checked and every queue's worker is connected and taking jobs. An
   * evicting `maxmemory-policy` and a Redis that keeps nothing on disk are reported through
   * `onError`; a Redis older than the queue needs rejects with `RedisVersionError`, and the worker
   * then takes no job.
   */
  ready(): Promise<void>;
  /**
   * Stops taking jobs and lets held ones finish for at most `timeoutMs` (default 10 s). Past it, jobs
   * not yet sending (waiting for the directory, a claim or a slot) go back to the queue at once, and
   * sends already written, never aborted, are waited for up to `sendTimeoutMs` more; those still
   * unanswered are left in doubt, as after a crash. Then closes the connections.
   */
  close(options?: { timeoutMs?: number }): Promise<void>;
}

/**
 * Creates the worker side: event jobs are planned with core's routing and fanned out to one delivery
 * job per target; delivery jobs are sent through their route's channel with a shared rate limit and
 * effectively once, and recorded.
 * @example
 * ```ts
 * import { createDeliveryWorker } from '@pytake/notify-queue';
 *
 * const worker = createDeliveryWorker({
 *   connection: process.env.REDIS_URL ?? 'redis://localhost:6379',
 *   directory, // the notifier's TenantDirectory
 *   routes, // the notifier's routes
 * });
 * await worker.ready();
 * process.on('SIGTERM', () => worker.close());
 * ```
 */
export function createDeliveryWorker<SlackMessage = unknown>(
  options: DeliveryWorkerOptions<SlackMessage>,
): DeliveryWorker {
  // This only wires the parts: options (worker-options.ts), the planner (plan-event.ts), the delivery
  // processor (deliver-job.ts) and the outcome writer.
  const settings = resolveWorkerOptions(options as DeliveryWorkerOptions<unknown>);
  const prefix = hashTagPrefix(options.prefix ?? queueDefaults.prefix);
  const keys = queueKeys(prefix);

  // Workers must wait out a Redis outage rather than fail their commands (BullMQ requires null here).
  const redis = createRedisClient(options.connection, { maxRetriesPerRequest: null });
  redis.on('error', (error) => options.onError?.(error));
  // Once per worker, at start-up: a Redis that evicts keys or keeps nothing on disk loses deliveries
  // silently, and one older than the scripts need fails them; the workers run only once it passed.
  const serverChecked = checkRedisServer(redis, options.onError, options.redisChecks);
  let state: WorkerState = 'starting';
  let closeDeadline: number | undefined;
  // Aborts when close() gives up on what the worker still holds (see close()).
  const stopped = new AbortController();
  const queues = Object.fromEntries(
    ROUTE_KINDS.map((kind) => [
      kind,
      new Queue<DeliveryJobData>(queueNames[kind], { connection: redis, prefix }),
    ]),
  ) as Record<RouteKind, Queue<DeliveryJobData>>;
  const updatesQueue = new Queue<MessageUpdateJobData>(queueNames.messageUpdates, {
    connection: redis,
    prefix,
  });
  for (const queue of [...Object.values(queues), updatesQueue])
    queue.on('error', (error) => options.onError?.(error));
  const wakes = createOrderWakes();
  const writer = createOutcomeWriter({
    redis,
    keys,
    statusTtlMs: settings.statusTtlMs,
    streamMaxLen: settings.streamMaxLen,
    sentTtlMs: settings.sentTtlMs,
    threadTtlMs: settings.threadTtlMs,
    // The next delivery of a conversation waits as a delayed job: bring it forward now that the one
    // before it is final (it looks again on its own anyway, so a miss costs only time).
    wake: (kind, jobId) => {
      if (wakes.wake(jobId)) return;
      new Job(queues[kind], 'delivery', {} as DeliveryJobData, {}, jobId).promote().catch(() => {});
    },
    onDelivery: options.onDelivery,
    stop: stopped.signal,
    onError: options.onError,
  });
  const events = createEventStore(redis, keys, settings.statusTtlMs);
  const conversations = createConversations(redis, keys, settings);
  const messageUpdates = createMessageUpdates(updatesQueue, settings.deliveryAttempts);
  const closing = new AbortController();
  // Every delivery in flight listens to them: as many listeners as jobs held, which is no leak.
  setMaxListeners(0, closing.signal, stopped.signal);

  // With a deadline, so that one organization's slow database cannot hold the slots of every other:
  // past it the job is retried later, its slot freed. (`close()` sends a job still waiting for it
  // back to the queue: see unless-closing.ts.)
  const lookUp = async (organizationId: string): Promise<TenantConfig | undefined> => {
    try {
      return (await lookUpTenant(settings.directory, organizationId, {
        timeoutMs: settings.lookupTimeoutMs,
      })) as TenantConfig | undefined;
    } catch (caught) {
      const error = toNotifyError(caught, 'transient');
      throw new RetryLater(
        `directory.get failed: ${error.message}`,
        error.code === 'timeout' ? 'timeout' : 'transient',
      );
    }
  };
  const context: DeliveryContext = {
    settings,
    events,
    store: createRedisIdempotencyStore({ connection: redis, prefix }),
    limiter: createRedisRateLimiter(redis, prefix),
    writer,
    conversations,
    wakes,
    messageUpdates,
    redis,
    keys,
    queues,
    lookUp,
    closing: closing.signal,
    stopped: stopped.signal,
    onRateLimit: options.onRateLimit,
  };

  // Anything unexpected (Redis answering an error mid-job, say) is retried like a transient failure,
  // and its status says so; on the last attempt the delivery is a dead letter with that error.
  const processors = Object.fromEntries(
    settings.kinds.map((kind) => [kind, deliveryProcessor(kind, context)]),
  );
  function guarded(kind: RouteKind) {
    const process = processors[kind]!;
    return async (job: Job<DeliveryJobData>, token?: string, signal?: AbortSignal) => {
      // A job that another producer added with data of another shape never delivers: dead at once.
      const malformed = malformedJobData(kind, job.data);
      if (malformed) throw new DeadJob(malformed, 'validation');
      // One span per run of the delivery job, in its event's trace; the processor ends it with the
      // record it made or the queue state it left the delivery in.
      const run = startDeliveryRun(kind, job, queueNames[kind]);
      try {
        return await process(job, token, signal, run);
      } catch (caught) {
        if (caught instanceof DeadJob) run.failed(caught.code, true);
        if (
          caught instanceof DelayedError ||
          caught instanceof UnrecoverableError ||
          caught instanceof RetryLater
        )
          throw caught;
        const error = toNotifyError(caught, 'transient');
        // Whatever threw it, its text may quote a secret: BullMQ keeps the message thrown, so the
        // job fails with the redacted one.
        const failure = { code: error.code, message: redactSecrets(error.message, []) };
        const { eventId, targetId } = job.data;
        const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        run.failed(error.code, last);
        // Keep the target as the status shows it (this path does not know the tenant).
        const shown = await readTargetStatuses(redis, keys.status(eventId))
          .then((entries) => entries.get(statusField(kind, targetId))?.target ?? '-')
          .catch(() => '-');
        if (last) await job.updateData({ ...job.data, lastError: failure }).catch(() => {});
        const conversation = conversationOf(kind, job.id, job.data);
        await writer
          .state({ eventId, route: kind, targetId, conversation }, shown, last ? 'dead' : 'retrying', failure)
          .catch(() => {});
        throw new RetryLater(failure.message, failure.code, error.retryAfterMs);
      } finally {
        run.end();
      }
    };
  }

  const settingsOfBullMQ = {
    // Core's backoff (full jitter by default), or the provider's Retry-After when that is longer.
    backoffStrategy: (attemptsMade: number, _type?: string, error?: Error) =>
      retryDelay(settings, attemptsMade, error),
  };
  const common = {
    connection: redis,
    prefix,
    concurrency: settings.concurrency,
    lockDuration: settings.lockDurationMs,
    stalledInterval: settings.stalledIntervalMs,
    maxStalledCount: 2,
    settings: settingsOfBullMQ,
    // Started once Redis passed the start-up check (below), so that a Redis too old runs no job.
    autorun: false,
  };
  const workers = [
    new Worker<EventJobData>(
      queueNames.events,
      eventProcessor({
        settings,
        events,
        writer,
        conversations,
        queues,
        lookUp,
        indexAlert: (eventId, event) => indexAlertEvent(redis, keys, eventId, event, settings.statusTtlMs),
        processors,
        closing: closing.signal,
      }),
      common,
    ),
    ...settings.kinds.map((kind) => new Worker<DeliveryJobData>(queueNames[kind], guarded(kind), common)),
    // Edits of Web API messages, for the workers that post them.
    ...(settings.routes.slackApi
      ? [
          new Worker<MessageUpdateJobData>(
            queueNames.messageUpdates,
            messageUpdateProcessor({ settings, conversations, lookUp, onError: options.onError }),
            common,
          ),
        ]
      : []),
  ];
  for (const worker of workers) worker.on('error', (error) => options.onError?.(error));

  const stopSweeping = watchDigestsDue({
    redis,
    keys,
    queues,
    served: settings.kinds,
    settings,
    everyMs: queueDefaults.digestSweepMs,
    graceMs: queueDefaults.digestGraceMs,
    onError: options.onError,
  });
  const stopWatching = watchUnservedDeliveries({
    redis,
    keys,
    writer,
    queues,
    served: settings.kinds,
    afterMs: settings.unservedAfterMs,
    onError: options.onError,
  });

  const started = serverChecked.then(
    async () => {
      if (state !== 'starting') return;
      for (const w of workers) w.run().catch((error: Error) => options.onError?.(error));
      await Promise.all(workers.map((w) => w.waitUntilReady()));
      if (state === 'starting') state = 'running';
    },
    (error: Error) => {
      if (state === 'starting') state = 'refused';
      stopWatching();
      stopSweeping();
      options.onError?.(error);
      throw error;
    },
  );
  // ready() rethrows a refusal; this keeps it from being an unhandled rejection meanwhile.
  started.catch(() => {});

  let closed: Promise<void> | undefined;
  let markClosed = () => {};
  const whenClosed = new Promise<void>((resolve) => {
    markClosed = resolve;
  });
  const deliveryWorker: DeliveryWorker = {
    async ready() {
      await started;
    },
    close({ timeoutMs = queueDefaults.closeTimeoutMs } = {}) {
      closed ??= (async () => {
        state = 'closing';
        closeDeadline = Date.now() + timeoutMs + settings.sendTimeoutMs;
        stopWatching();
        stopSweeping();
        const graceful = Promise.all(workers.map((w) => w.close())).then(() => true);
        if (!(await within(graceful, timeoutMs))) {
          // Past the deadline: what waits before its send goes back to the queue at once. A send
          // already written is not aborted, since its provider may have it: aborting it would leave
          // an alert delivered but not recorded, sent again later. Its answer is waited for.
          closing.abort(new NotifyError('the worker is shutting down', { code: 'aborted' }));
          await within(graceful, settings.sendTimeoutMs);
        }
        // Sends still unanswered past the channels' own timeout are in doubt, as after a crash: they
        // are aborted with nothing written, each job's lock expires, and another worker runs it once
        // its claim expired. BullMQ finishes closing when those runs end, without this call waiting.
        stopped.abort(new NotifyError('the worker stopped waiting for its sends', { code: 'aborted' }));
        await Promise.all([...Object.values(queues), updatesQueue].map((q) => q.close()));
        await redis.quit().catch(() => redis.disconnect());
        state = 'closed';
        markClosed();
      })();
      return closed;
    },
  };
  registerWorkerState(deliveryWorker, {
    state: () => state,
    // close() returns within its timeoutMs + sendTimeoutMs: a worker still closing past that is stuck.
    closeDeadline: () => closeDeadline,
    redis,
    whenClosed,
  });
  return deliveryWorker;
}

/** True when `promise` settled within `ms`; the timer does not outlive the answer. */
async function within(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true), late]);
  } finally {
    clearTimeout(timer);
  }
}

export type { RateLimitEvent } from './rate-limit-event.js';
export type { DeliveryWorkerOptions, SmtpLimit } from './worker-options.js';
