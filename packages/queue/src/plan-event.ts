import {
  type AlertEvent,
  type DeliveryRecord,
  isNotifyError,
  type NotifyErrorCode,
  organizationRecords,
  planTargets,
  type RouteKind,
  recordBase,
  redactSecrets,
  type TenantConfig,
  toNotifyError,
} from '@pytake/notify-core';
import { DelayedError, type Job, type Queue } from 'bullmq';
import { type ConversationRef, type Conversations, orderScore } from './conversation.js';
import type { DeliveryProcessor } from './deliver-job.js';
import { BackToQueue, DeadJob, RetryLater } from './delivery-errors.js';
import { deliveryJobOptions } from './delivery-job-options.js';
import type { EventStore } from './event-store.js';
import { deliverInline } from './inline-delivery.js';
import type { DeliveryJobData, EventJobData } from './job-data.js';
import { eventOfJob } from './job-event.js';
import { deliveryJobId, queueNames } from './job-ids.js';
import type { OutcomeWriter } from './outcome-writer.js';
import { ORGANIZATION_TARGET } from './queue-keys.js';
import { type EventRun, startEventRun } from './tracing.js';
import { unlessClosing } from './unless-closing.js';
import type { WorkerSettings } from './worker-options.js';

/** What the event planner shares with the rest of the worker. */
export interface PlanContext {
  settings: WorkerSettings;
  events: EventStore;
  writer: OutcomeWriter;
  conversations: Conversations;
  /** Every delivery queue, whichever kinds this worker delivers: planning is the same in every worker. */
  queues: Record<RouteKind, Queue<DeliveryJobData>>;
  lookUp(organizationId: string): Promise<TenantConfig | undefined>;
  /** Notes a planned event in its organization's index of recent alerts (see alert-index.ts). */
  indexAlert(eventId: string, event: AlertEvent): Promise<void>;
  /** The processor of each kind this worker delivers, for an event with one target to deliver. */
  processors: Partial<Record<RouteKind, DeliveryProcessor>>;
  /** Aborts when `close()` passes its deadline: an event waiting for the directory goes back to the queue. */
  closing: AbortSignal;
}

// Email never goes inline: a slow SMTP server must not hold the slots that plan every event. And one
// event slot of a process never holds an inline send, so that slow webhooks cannot stop planning:
// while the others are held, single-target events get a delivery job as the rest do.
const inlineKinds: readonly RouteKind[] = ['slack', 'slackApi'];

/**
 * The processor of event jobs: looks the organization up, plans every target it has with core's
 * routing (without this worker's routes, so that any worker plans the same), records the skips, and
 * fans the rest out to one delivery job per target, one bulk add per route kind, after storing the
 * event once for all of them. One span per run (core's `notify` span), in the enqueuing call's trace.
 */
export function eventProcessor(context: PlanContext) {
  const inlineSlots = context.settings.concurrency - 1;
  let inlineHeld = 0;
  return async function processEvent(job: Job<EventJobData>, token?: string): Promise<void> {
    const event = parse(job.data);
    const run = startEventRun(event, job, queueNames.events);
    try {
      run.end({ queued: await planEvent(job, event, run, token) });
    } catch (error) {
      // Back in the queue (the worker is closing) or in doubt: neither is a failure of this run.
      if (error instanceof DelayedError) {
        run.end();
        throw error;
      }
      const code = error instanceof DeadJob ? error.code : isNotifyError(error) ? error.code : 'transient';
      if (!(error instanceof DeadJob) && job.attemptsMade + 1 < (job.opts.attempts ?? 1))
        run.retry(job.attemptsMade + 1, code);
      run.end({ error: code });
      // BullMQ keeps the message thrown: an unexpected error's text is redacted first.
      if (error instanceof DeadJob || error instanceof RetryLater) throw error;
      throw new RetryLater(redactSecrets(toNotifyError(error).message, []), code);
    }
  };

  // Plans one event job; returns how many delivery jobs it added.
  async function planEvent(
    job: Job<EventJobData>,
    event: AlertEvent,
    run: EventRun,
    token: string | undefined,
  ): Promise<number> {
    const { settings, writer, conversations } = context;
    const eventId = job.id!;
    const alert = { organizationId: event.alert.organizationId, alertId: event.alert.id };
    // An event that ends here (no organization, a broken directory row) plans nothing to wait for.
    const planNothing = () => conversations.plan(eventId, alert, []);
    const write = (route: RouteKind, targetId: string, record: DeliveryRecord, state?: 'dead') => {
      run.record(record);
      return writer.outcome({ eventId, route, targetId }, record, state);
    };
    // An outcome for the whole organization: one record per route kind this worker delivers.
    const organizationWide = async (
      fields: Pick<DeliveryRecord, 'status' | 'reason' | 'error' | 'attempts'>,
      state?: 'dead',
    ) => {
      const records = organizationRecords(event, settings.kinds, fields);
      await Promise.all(
        records.map((record, i) => write(settings.kinds[i]!, ORGANIZATION_TARGET, record, state)),
      );
    };
    const failForGood = async (failure: { code: NotifyErrorCode; message: string }, attempts: number) => {
      await planNothing();
      await organizationWide({ status: 'failed', error: failure, attempts }, 'dead');
      await job.updateData({ ...job.data, lastError: failure });
    };

    let tenant: TenantConfig | undefined;
    try {
      tenant = await unlessClosing(context.lookUp(event.alert.organizationId), context.closing);
    } catch (error) {
      if (error instanceof BackToQueue) {
        // Closing past its deadline: back to the queue at once, no attempt spent.
        await job.moveToDelayed(Date.now(), token).catch(() => {});
        throw new DelayedError();
      }
      if (job.attemptsMade + 1 >= (job.opts.attempts ?? 1) && error instanceof RetryLater)
        await failForGood({ code: error.code, message: error.message }, job.attemptsMade + 1);
      throw error;
    }
    if (tenant === undefined) {
      await planNothing();
      await organizationWide({ status: 'skipped', reason: 'unknown_organization', attempts: 0 });
      return 0;
    }
    let planned: ReturnType<typeof planTargets>;
    try {
      planned = planTargets(event, tenant);
    } catch (error) {
      // A directory row that is not a valid tenant config: nothing can be sent until it is fixed, so
      // every route of the event is dead with `config` (retry it from the dead letters once fixed).
      if (!isNotifyError(error) || error.code !== 'config') throw error;
      await failForGood({ code: 'config', message: error.message }, 0);
      throw new DeadJob(error.message, 'config');
    }

    const trace = run.carrier();
    const score = orderScore(event);
    const skips: (typeof planned)[number][] = [];
    const deliveries: { target: (typeof planned)[number]; data: DeliveryJobData; jobId: string }[] = [];
    for (const target of planned) {
      if (target.skip) {
        skips.push(target);
        continue;
      }
      const jobId = deliveryJobId(event, target);
      deliveries.push({
        target,
        jobId,
        data: {
          eventId,
          organizationId: event.alert.organizationId,
          alertId: event.alert.id,
          eventType: event.type,
          targetId: target.targetId,
          ...(settings.conversation ? { order: score } : {}),
          ...(trace ? { trace } : {}),
        },
      });
    }
    // Issued before any status is written: a status is how a later event of the alert knows this
    // one was planned (see Conversations.claim), and then finds its deliveries in their orders.
    const orders: ConversationRef[] = settings.conversation
      ? deliveries.map(({ target, jobId }) => ({
          ...alert,
          route: target.route,
          targetId: target.targetId,
          jobId,
          score,
        }))
      : [];
    const writes: Promise<unknown>[] = [
      conversations.plan(eventId, alert, orders),
      context.indexAlert(eventId, event),
    ];
    for (const target of skips) {
      const record: DeliveryRecord = {
        ...recordBase(event, target.route),
        target: target.display,
        status: 'skipped',
        reason: target.skip,
        attempts: 0,
        durationMs: 0,
        at: new Date(),
      };
      writes.push(write(target.route, target.targetId, record));
    }
    const jobOptions = deliveryJobOptions(settings);
    const saveEvent = () => context.events.save(eventId, JSON.stringify(job.data.event), event);

    const [only] = deliveries;
    const process =
      only && deliveries.length === 1 && inlineKinds.includes(only.target.route)
        ? context.processors[only.target.route]
        : undefined;
    if (only && process && inlineHeld < inlineSlots) {
      inlineHeld++;
      try {
        context.events.remember(eventId, event);
        await Promise.all(writes);
        await deliverInline(process, context.queues[only.target.route], settings, {
          kind: only.target.route,
          jobId: only.jobId,
          data: only.data,
          jobOptions,
          saveEvent,
        });
      } finally {
        inlineHeld--;
      }
      return 0;
    }

    const bulk = new Map<RouteKind, Parameters<Queue<DeliveryJobData>['addBulk']>[0]>();
    for (const { target, data, jobId } of deliveries) {
      // Issued before the job is added, on the same connection, so Redis has it first (and a queue
      // state never replaces an outcome anyway). All go out with the bulk add, without a round trip each.
      writes.push(
        writer.state({ eventId, route: target.route, targetId: target.targetId }, target.display, 'waiting'),
      );
      const jobs = bulk.get(target.route) ?? [];
      // The same id when this event job runs again after a crash: no second delivery job.
      jobs.push({ name: 'delivery', data, opts: { ...jobOptions, jobId } });
      bulk.set(target.route, jobs);
    }
    // The event first, on the same connection: a delivery job never runs before its event is stored.
    if (bulk.size > 0) writes.push(saveEvent());
    let queued = 0;
    const adds = [...bulk].map(([kind, jobs]) => {
      queued += jobs.length;
      return context.queues[kind].addBulk(jobs);
    });
    await Promise.all([...writes, ...adds]);
    return queued;
  }
}

function parse(data: EventJobData): AlertEvent {
  try {
    return eventOfJob(data.event);
  } catch (error) {
    // Only a job written by something else than enqueue() can get here; it will never parse.
    throw new DeadJob(
      `job data is not a valid event: ${redactSecrets((error as Error).message, [])}`,
      'validation',
    );
  }
}
