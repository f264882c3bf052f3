import {
  type AlertDigest,
  type AlertEvent,
  atLeastSeverity,
  type ClaimResult,
  type DeliveryClaims,
  type DeliveryRecord,
  deliverDigest,
  deliverTarget,
  digestRecords,
  isNotifyError,
  type NotifyErrorCode,
  type PlannedTarget,
  type RenderContext,
  type RouteKind,
  recordChannel,
  redactSecrets,
  resolveTarget,
  type SendOptions,
  type SlackChannelDelivery,
  secretsOf,
  stormSettings,
  type TenantConfig,
  toNotifyError,
} from '@pytake/notify-core';
import { DelayedError, type Queue } from 'bullmq';
import {
  type ConversationRef,
  type Conversations,
  conversationOf,
  type MessageRef,
  messageEvent,
} from './conversation.js';
import { queueDefaults } from './defaults.js';
import { BackToQueue, DeadJob, Folded, InDoubt, RetryLater } from './delivery-errors.js';
import { addDigestJob, digestDueEntry, type HeldDigest, readDigest } from './digest-jobs.js';
import type { EventStore } from './event-store.js';
import type { DeliveryJobData } from './job-data.js';
import { eventOfJob } from './job-event.js';
import type { MessageUpdates } from './message-updates.js';
import type { OrderWakes } from './order-wakes.js';
import type { OutcomeWriter, SentMessage, TargetRef } from './outcome-writer.js';
import type { QueueKeys } from './queue-keys.js';
import type { RateLimitEvent } from './rate-limit-event.js';
import type { RedisClient } from './redis-connection.js';
import type { RedisIdempotencyStore } from './redis-idempotency-store.js';
import type { RedisRateLimiter } from './redis-rate-limiter.js';
import { takeSlot } from './take-slot.js';
import type { DeliveryRun } from './tracing.js';
import { unlessClosing } from './unless-closing.js';
import type { WorkerSettings } from './worker-options.js';

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

const lateWarning = { code: 'late', message: 'a later event of the alert was sent to this target first' };

/** A Web API channel's `update()` (`createSlackApiChannel` has one): edits a posted message. */
export type UpdateMessage = (
  update: { channel: string; ts: string; message: unknown },
  options?: SendOptions,
) => Promise<unknown>;

/** What the processor uses of a BullMQ job (an event job's inline delivery stands in for one). */
export interface DeliveryJobHandle {
  id?: string;
  data: DeliveryJobData;
  opts: { attempts?: number };
  attemptsMade: number;
  updateData(data: DeliveryJobData): Promise<void>;
  moveToDelayed(timestamp: number, token?: string): Promise<void>;
}

/** Processes one delivery job; ends its span through `run`. */
export type DeliveryProcessor = (
  job: DeliveryJobHandle,
  token: string | undefined,
  signal: AbortSignal | undefined,
  run: DeliveryRun,
) => Promise<void>;

/** What the delivery processor shares with the rest of the worker. */
export interface DeliveryContext {
  settings: WorkerSettings;
  events: EventStore;
  store: RedisIdempotencyStore;
  limiter: RedisRateLimiter;
  writer: OutcomeWriter;
  conversations: Conversations;
  /** Wakes a delivery waiting in this process once the one before it in its conversation is final. */
  wakes: OrderWakes;
  /** Edits of Web API messages: a resolved alert's parent whose edit must be tried again. */
  messageUpdates: MessageUpdates;
  /** Storm digests: their held events are read from here, and their jobs added to these queues. */
  redis: RedisClient;
  keys: QueueKeys;
  queues: Record<RouteKind, Queue<DeliveryJobData>>;
  lookUp(organizationId: string): Promise<TenantConfig | undefined>;
  /**
   * Aborts when `close()` passes its deadline: jobs that wait before their send (for the directory,
   * a claim, a slot) go back to the queue. Never passed to a send: its provider may have it already.
   */
  closing: AbortSignal;
  /**
   * Aborts when `close()` stops waiting for the sends in flight (`sendTimeoutMs` past its deadline):
   * they are aborted and left in doubt, nothing written for them, as after a crash.
   */
  stopped: AbortSignal;
  onRateLimit?: (event: RateLimitEvent) => void;
}

/**
 * The processor of one route kind's delivery jobs: resolves the one target its job names from the
 * directory, takes a slot of the shared limit, and runs core's delivery step (claim, render, send,
 * record) with one attempt and no limiter in the channel: BullMQ retries and the limit is shared.
 * A wait is a delayed job (no attempt spent), a transient failure a BullMQ retry, a permanent one a
 * dead letter; every outcome is written with its record in one command.
 */
export function deliveryProcessor(kind: RouteKind, context: DeliveryContext): DeliveryProcessor {
  const { settings, writer, store } = context;
  const limit = settings.limits[kind];

  return async function processDelivery(
    job: DeliveryJobHandle,
    token: string | undefined,
    signal: AbortSignal | undefined,
    run: DeliveryRun,
  ): Promise<void> {
    const data = job.data;
    const conversation = conversationOf(kind, job.id, data);
    const ref: TargetRef = { eventId: data.eventId, route: kind, targetId: data.targetId, conversation };
    const maxAttempts = job.opts.attempts ?? 1;
    const isLast = () => job.attemptsMade + 1 >= maxAttempts;
    // Attempts made so far, counting one made in its event job before this job existed.
    const made = job.attemptsMade + (data.attemptsBefore ?? 0);
    // A job added to hold a delivery that failed for good in its event job: its outcome is written,
    // and its first run puts it in the dead letters (a retry from there runs it normally).
    if (data.lastError && job.attemptsMade === 0 && data.deadOnArrival) {
      run.failed(data.lastError.code, true);
      throw new DeadJob(data.lastError.message, data.lastError.code as NotifyErrorCode);
    }
    let display = '-';
    const base = {
      organizationId: data.organizationId,
      alertId: data.alertId,
      eventType: data.eventType,
      channel: recordChannel[kind],
    };

    // Failed for good: the record, the status `dead` and the job's last error, then the failed set.
    let event: AlertEvent | undefined;
    const dead = async (
      error: { code: NotifyErrorCode; message: string },
      extra: { attempts: number; durationMs?: number; idempotencyKey?: string },
    ): Promise<DeadJob> => {
      // A dead letter carries its event: the stored one goes once every target has an outcome, and
      // the letter may be retried after that.
      await job.updateData({
        ...data,
        lastError: error,
        ...(event ? { event } : {}),
      });
      // Recipients refused for good by earlier runs (some took it, one was deferred, then failed).
      const refused = data.refused?.length ? { refused: data.refused } : {};
      const record: DeliveryRecord = {
        ...base,
        target: display,
        status: 'failed',
        error,
        durationMs: 0,
        ...extra,
        ...refused,
        at: new Date(),
      };
      run.record(record);
      await finish(record, 'dead');
      return new DeadJob(error.message, error.code);
    };
    // Rate limits, holds and claims held elsewhere: wait as a delayed job, which spends no attempt.
    const defer = async (
      waitMs: number,
      why: 'rate_limit' | 'held' | 'claim',
      patch: Partial<DeliveryJobData> = {},
    ): Promise<never> => {
      const deferredMs = (data.deferredMs ?? 0) + (patch.deferredMs ?? 0) + waitMs;
      if (deferredMs > settings.maxDeferralMs) {
        throw await dead(
          {
            code: 'rate_limited',
            message: `deferred by rate limits for longer than maxDeferralMs (${settings.maxDeferralMs} ms)`,
          },
          { attempts: made },
        );
      }
      run.wait(waitMs, why);
      // Both before the move (one connection keeps their order), without a round trip between them.
      await Promise.all([
        job.updateData({ ...data, ...patch, deferredMs }),
        writer.state(ref, display, 'delayed'),
      ]);
      await job.moveToDelayed(Date.now() + Math.ceil(waitMs), token);
      throw new DelayedError();
    };

    // Closing past its deadline, before the send: back to the queue at once, no attempt spent (if
    // this does not reach Redis, the lock expiry brings the job back).
    const backToQueue = async (): Promise<never> => {
      run.requeued();
      await writer.state(ref, display, 'waiting').catch(() => {});
      await job.moveToDelayed(Date.now(), token).catch(() => {});
      throw new DelayedError();
    };

    let tenant: TenantConfig | undefined;
    // A digest job's digest: its events, read from where storm control holds them.
    let held: HeldDigest | undefined;
    const digestRef = data.digest && {
      digestId: data.digest.id,
      dueAt: data.digest.dueAt,
      organizationId: data.organizationId,
      route: kind,
      targetId: data.targetId,
    };
    // The final outcome: a digest's is written once for each of its events.
    const finish = async (record: DeliveryRecord, state: 'dead' | DeliveryRecord['status']) => {
      if (!digestRef) return writer.outcome(ref, record, state);
      const records = digestRecords(record, held?.folded ?? [], digestRef.digestId);
      await writer.digestOutcome(ref, digestRef, record, records, state);
    };
    try {
      // Both at once: the organization is in the job, so the lookup need not wait for the event.
      const loadEvent = digestRef
        ? readDigest(context.redis, context.keys, digestRef, digestRef.digestId).then((digest) => {
            held = digest;
            return digest.events[0];
          })
        : context.events.load(data.eventId);
      [event, tenant] = await unlessClosing(
        Promise.all([loadEvent, context.lookUp(data.organizationId)]),
        context.closing,
      );
    } catch (caught) {
      if (caught instanceof BackToQueue) return backToQueue();
      if ((isNotifyError(caught) && caught.code === 'validation') || caught instanceof SyntaxError) {
        // Only data written by something else than the queue can get here; it will never parse.
        throw await dead(
          {
            code: 'validation',
            message: `the job's event is not a valid event: ${redactSecrets(toNotifyError(caught).message, [])}`,
          },
          { attempts: made + 1 },
        );
      }
      // Redis answering an error: retried like any unexpected failure (see the worker's guard).
      if (!(caught instanceof RetryLater)) throw caught;
      const failure = { code: caught.code, message: caught.message };
      if (isLast()) throw await dead(failure, { attempts: made + 1 });
      run.failed(caught.code, false);
      await writer.state(ref, display, 'retrying', failure);
      throw caught;
    }
    if (digestRef && held) {
      // Over already (its outcome written by an earlier run), or its held events expired.
      if (held.folded.length === 0 || !event) {
        await context.redis.zrem(context.keys.digestsDue, digestDueEntry(digestRef));
        return;
      }
      // Run early by a clock ahead of Redis's: events may still fold into it until it is due.
      if (held.now < digestRef.dueAt) {
        await job.moveToDelayed(Date.now() + (digestRef.dueAt - held.now), token);
        throw new DelayedError();
      }
    }
    if (!event && data.event !== undefined) event = eventOfJob(data.event);
    if (!event) {
      // The stored event goes once every target has an outcome: a job that runs again after its own
      // outcome was written (its worker died before BullMQ heard of it) has nothing left to do.
      if (await writer.hasOutcome(ref)) return;
      throw await dead(
        {
          code: 'validation',
          message: `the event of this delivery is no longer in Redis (events are kept statusTtlMs, ${settings.statusTtlMs} ms)`,
        },
        { attempts: made + 1 },
      );
    }
    let target: PlannedTarget | undefined;
    try {
      target = tenant && resolveTarget(event, tenant, kind, data.targetId, settings.routes);
      // A digest's events passed the target's filters when they were folded.
      if (digestRef && target?.skip === 'filtered') target = { ...target, skip: undefined };
    } catch (error) {
      // The row became invalid since planning: dead with `config` until it is fixed and retried.
      if (!isNotifyError(error) || error.code !== 'config') throw error;
      throw await dead({ code: 'config', message: error.message }, { attempts: made + 1 });
    }
    if (!target) {
      // Gone from the directory since the event was planned: not sent, on purpose.
      const record: DeliveryRecord = {
        ...base,
        target: display,
        status: 'skipped',
        reason: 'not_configured',
        attempts: 0,
        durationMs: 0,
        at: new Date(),
      };
      run.record(record);
      await finish(record, record.status);
      return;
    }
    display = target.display;
    // Kept in its alert's conversation with the target (see `claims.claim` below).
    const inOrder = settings.conversation ? conversation : undefined;
    const warnings: { code: string; message: string }[] = [];
    const renderContext: RenderContext = {};
    // Storm control applies to a target's single deliveries, for a route that can render a digest.
    const storm =
      !digestRef && settings.routes[kind]?.renderDigest && job.id ? stormSettings(tenant!, kind) : false;
    // A Web API channel's thread is kept here, in Redis, for every worker: the channel is asked to
    // post as it is told (a reply carries its parent's thread_ts) and to keep no thread of its own.
    const address = target.address as Partial<SlackChannelDelivery>;
    const threaded = kind === 'slackApi' && inOrder !== undefined && address.thread === true;
    let parentTs: string | undefined;
    let postsParent = false;
    const planned: PlannedTarget = threaded
      ? ({ ...target, address: { ...address, thread: false } } as PlannedTarget)
      : target;
    const secrets = secretsOf(tenant!);
    const rateLimitEvent = (e: DistributiveOmit<RateLimitEvent, 'route' | 'targetId' | 'eventId'>) => {
      try {
        context.onRateLimit?.({
          route: kind,
          targetId: data.targetId,
          eventId: data.eventId,
          ...e,
        } as RateLimitEvent);
      } catch {
        // A broken log hook must not fail a delivery.
      }
    };
    const limitKey =
      kind === 'email' && settings.smtpLimitKey ? settings.smtpLimitKey : `${kind}:${target.destination}`;

    // The last step before the send: once close() passed its deadline, the job goes back instead.
    const sendOrGoBack = async (key: string): Promise<'claimed'> => {
      if (!context.closing.aborted) return 'claimed';
      await store.release(key);
      throw new BackToQueue();
    };
    // The claim first (a delivery already sent takes no slot), then a slot of the shared limit.
    // The claim in order: an earlier event of the alert to this target not final yet makes this one
    // wait, first here for a moment (the one before is often in flight, and wakes it when final),
    // then as a delayed job (no attempt, no slot), up to `orderWaitMs`; past it, it goes anyway.
    const claimInOrder = async (ref: ConversationRef, key: string): Promise<ClaimResult> => {
      const options = { claimTtlMs: settings.claimTtlMs, threaded };
      let order = await context.conversations.claim(ref, key, options);
      if (!order.go && settings.shortWaitMs > 0 && !context.closing.aborted) {
        // Woken or not, it looks again: the one before may have become final in another process,
        // which can only wake a delayed job.
        await context.wakes.wait(ref.jobId, settings.shortWaitMs, context.closing);
        order = await context.conversations.claim(ref, key, options);
      }
      if (order.go) {
        if (order.late) warnings.push(lateWarning);
        return order.state === 'claimed' ? parentClaimed(order.parent, key) : order.state;
      }
      const since = data.orderSince ?? Date.now();
      const waitMs = Math.min(queueDefaults.orderPollMs, since + settings.orderWaitMs - Date.now());
      if (waitMs > 0) {
        run.wait(waitMs, 'order');
        if (data.orderSince === undefined) await job.updateData({ ...data, orderSince: since });
        await job.moveToDelayed(Date.now() + waitMs, token);
        throw new DelayedError();
      }
      warnings.push({
        code: 'out_of_order',
        message: `sent before an earlier event of the alert to this target was final, after waiting orderWaitMs (${settings.orderWaitMs} ms)`,
      });
      const state = await store.claim(key, settings.claimTtlMs);
      if (state !== 'claimed' || !threaded) return state;
      const { parent, late } = await context.conversations.claimParent(ref, settings.claimTtlMs);
      if (late) warnings.push(lateWarning);
      return parentClaimed(parent, key);
    };
    // What a threaded delivery that claimed its key does about its thread's parent.
    const parentClaimed = async (parent: string | undefined, key: string): Promise<ClaimResult> => {
      if (parent === 'held') {
        // Another delivery of the alert is posting the parent: reply once its ts is known.
        await store.release(key);
        return defer(Math.min(settings.claimTtlMs, queueDefaults.orderPollMs), 'claim');
      }
      if (parent === 'post') postsParent = true;
      else parentTs = parent;
      return 'claimed';
    };
    const claims: DeliveryClaims = {
      async claim(key) {
        const state = inOrder
          ? await claimInOrder(inOrder, key)
          : await store.claim(key, settings.claimTtlMs);
        // The claim: a job whose lock was lost while its first worker still sends is not sent twice.
        if (state === 'in_flight') return defer(Math.min(settings.claimTtlMs, 1000), 'claim');
        if (state !== 'claimed') return state;
        if (storm) await foldOrGo(key, storm);
        if (!limit) return sendOrGoBack(key);
        const slot = await takeSlot({
          limiter: context.limiter,
          key: limitKey,
          limit,
          reserved: data.slot,
          remainingMs: settings.maxDeferralMs - (data.deferredMs ?? 0),
          shortWaitMs: settings.shortWaitMs,
          signal: context.closing,
          onWait: (waitMs, held, inProcess) => {
            rateLimitEvent({ kind: 'deferred', waitMs, held });
            if (inProcess) run.wait(waitMs, 'rate_limit', true);
          },
        });
        if (slot.kind === 'go') {
          rateLimitEvent({ kind: 'granted', at: slot.at });
          return sendOrGoBack(key);
        }
        await store.release(key);
        if (slot.kind === 'too_long') {
          throw await dead(
            {
              code: 'rate_limited',
              message: `${display} is rate limited for ${slot.waitMs} ms, longer than the ${Math.max(0, slot.remainingMs)} ms of deferral left`,
            },
            { attempts: made },
          );
        }
        return defer(slot.waitMs, slot.held ? 'held' : 'rate_limit', {
          slot: slot.slot,
          deferredMs: slot.waitedMs,
        });
      },
      // A send given up on while closing may have reached the provider: its claim stays until it
      // expires, so that no other worker sends it again before then.
      release: async (key) => {
        if (context.stopped.aborted) return;
        await Promise.all([
          store.release(key),
          postsParent && conversation ? context.conversations.releaseParent(conversation) : undefined,
        ]);
      },
    };

    // Storm control, once the delivery's claim is held: folded into its target's current digest
    // (its `digested` outcome written with the decision), or alone, perhaps pointing to the digest
    // that first reported its alert.
    async function foldOrGo(key: string, stormConfig: Exclude<typeof storm, false>): Promise<void> {
      const decision = await writer.fold(ref, {
        jobId: job.id!,
        settings: stormConfig,
        bypass: atLeastSeverity(event!.alert.severity, stormConfig.bypassSeverity),
        event: event!,
        record: {
          ...base,
          target: display,
          status: 'digested',
          attempts: 0,
          durationMs: 0,
          idempotencyKey: key,
          at: new Date(),
        },
        idempotencyKey: key,
      });
      if (decision.kind === 'alone') {
        if (decision.firstReportedInDigest)
          renderContext.firstReportedInDigest = decision.firstReportedInDigest;
        return;
      }
      run.record({
        ...base,
        target: display,
        status: 'digested',
        attempts: 0,
        durationMs: 0,
        at: new Date(),
      });
      // The thread's parent it claimed goes to the next event of the alert that goes alone.
      if (postsParent && conversation) await context.conversations.releaseParent(conversation);
      if (decision.isNew) await addDigestJob(context.queues[kind], settings, decision.digest);
      throw new Folded();
    }

    let rendered: unknown;
    let outcome: Awaited<ReturnType<typeof deliverTarget>>;
    try {
      const common = {
        secrets,
        routes: settings.routes,
        claims,
        // Not `closing`: a send already written is never aborted by close(), only given up on.
        signal: signal ? AbortSignal.any([signal, context.stopped]) : context.stopped,
        send: {
          retry: false as const,
          rateLimit: false as const,
          ...(data.deferred && { onlyRecipients: data.deferred }),
        },
        attemptsBefore: made,
      };
      if (digestRef && held) {
        const digest: AlertDigest = {
          id: digestRef.digestId,
          organizationId: data.organizationId,
          events: held.events,
          startedAt: new Date(Number(digestRef.digestId.slice(digestRef.digestId.lastIndexOf('-') + 1))),
          endedAt: new Date(digestRef.dueAt),
        };
        outcome = await deliverDigest(planned, { ...common, digest, tenant: tenant!, folded: held.folded });
      } else {
        outcome = await deliverTarget(planned, {
          ...common,
          event,
          content: async () => {
            rendered = await settings.routes[kind]!.render(event, tenant!, renderContext);
            return parentTs ? { ...(rendered as object), thread_ts: parentTs } : rendered;
          },
        });
      }
    } catch (caught) {
      if (caught instanceof BackToQueue) return backToQueue();
      if (caught instanceof Folded) return;
      throw caught;
    }
    const { record, error, receipt } = outcome;

    if (record.status === 'skipped' || record.status === 'duplicate') {
      run.record(record);
      await finish(record, record.status);
      return;
    }
    if (error) {
      // close() stopped waiting for this send: whether the provider has it is unknown.
      if (context.stopped.aborted) throw new InDoubt();
      if (error.code === 'rate_limited' && limit) {
        // A 429: hold the destination for every worker, then take a slot again. No attempt is spent.
        const holdMs = await context.limiter.hold(
          limitKey,
          limit,
          Math.min(settings.maxHoldMs, error.retryAfterMs ?? queueDefaults.defaultHoldMs),
          { organizationId: data.organizationId, route: kind, target: display },
        );
        rateLimitEvent({ kind: 'held', holdMs });
        return defer(holdMs, 'held', { slot: undefined });
      }
      const failure = record.error!;
      if (!error.retryable || isLast()) throw await dead(failure, record);
      return retry(failure, error.retryAfterMs);
    }

    // Sent. Recipients refused by earlier runs count in the outcome, so the record shows them all.
    const refused = [...(data.refused ?? []), ...(record.refused ?? [])];
    const deferred = receipt?.deferred ?? [];
    if (deferred.length > 0) {
      // Some recipients were deferred (a greylisting 451): the others have it. The job keeps only
      // their digests, and its next run sends to them alone. The claim is given back for that run.
      await store.release(record.idempotencyKey!);
      const failure = {
        code: 'transient' as const,
        message: redactSecrets(
          `${deferred.length} recipient${deferred.length === 1 ? '' : 's'} deferred (${deferred
            .map((d) => `${d.display}${d.responseCode ? ` ${d.responseCode}` : ''}`)
            .join(', ')})`,
          secrets,
        ),
      };
      const patch = { deferred: deferred.map((d) => d.digest), refused };
      if (isLast()) {
        await job.updateData({ ...data, ...patch });
        throw await dead(failure, record);
      }
      return retry(failure, undefined, patch);
    }
    const ts = receipt?.providerId;
    const posted: SentMessage = {};
    const subject = kind === 'email' ? (rendered as { subject?: unknown } | undefined)?.subject : undefined;
    if (typeof subject === 'string') posted.emailSubject = subject;
    let editParentLater: MessageRef | undefined;
    if (kind === 'slackApi' && conversation && ts) {
      posted.message = { channel: address.channel!, ts, event: messageEvent(event) };
      if (postsParent) posted.parentTs = ts;
    }
    if (threaded && parentTs && event.type === 'alert.resolved') {
      // The reply is posted; now the parent shows the alert resolved.
      const edited = await editParent(address.channel!, parentTs, rendered);
      if (edited === 'later') {
        editParentLater = { channel: address.channel!, ts: parentTs, event: messageEvent(event) };
      } else if (edited) {
        warnings.push({ code: 'parent_update_failed', message: redactSecrets(edited, secrets) });
      }
    }
    const allWarnings = [...(record.warnings ?? []), ...warnings];
    const sent: DeliveryRecord = {
      ...record,
      ...(refused.length ? { status: 'partial' as const, refused } : {}),
      ...(allWarnings.length ? { warnings: allWarnings } : {}),
    };
    run.record(sent);
    try {
      await (digestRef ? finish(sent, sent.status) : writer.sent(ref, sent, sent.idempotencyKey!, posted));
    } catch (caught) {
      // Sent, and close() stopped retrying its record: in doubt like any send it gave up on.
      if (context.stopped.aborted) throw new InDoubt();
      throw caught;
    }
    // The edit may pass later (a 429, a 5xx): its own job tries again, never the reply.
    if (editParentLater) {
      await context.messageUpdates.add({
        organizationId: data.organizationId,
        alertId: data.alertId,
        alert: event.alert,
        messages: [editParentLater],
      });
    }

    // Edits a thread's parent with chat.update: undefined when edited, 'later' when the edit may
    // pass on another try, or the reason it failed for good (Slack's code, e.g. message_not_found).
    async function editParent(channel: string, ts: string, message: unknown) {
      const update = (settings.routes.slackApi?.channel as { update?: UpdateMessage } | undefined)?.update;
      if (typeof update !== 'function') return undefined;
      try {
        await update.call(
          settings.routes.slackApi!.channel,
          { channel, ts, message },
          { retry: false, rateLimit: false, signal: context.stopped },
        );
        return undefined;
      } catch (caught) {
        const error = toNotifyError(caught);
        if (error.retryable) return 'later' as const;
        return error.message;
      }
    }

    async function retry(
      failure: { code: NotifyErrorCode; message: string },
      retryAfterMs?: number,
      patch: Partial<DeliveryJobData> = {},
    ): Promise<never> {
      run.failed(failure.code, false);
      // The slot this run was granted is spent: the retry takes a new one (the limiter keeps a
      // reserved slot for a job that comes back late, so a slot left here would be used twice).
      if (data.slot || Object.keys(patch).length > 0)
        await job.updateData({ ...data, ...patch, slot: undefined });
      await writer.state(ref, display, 'retrying', failure);
      throw new RetryLater(failure.message, failure.code, retryAfterMs);
    }
  };
}
