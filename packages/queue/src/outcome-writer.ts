import {
  type AlertEvent,
  type DeliveryRecord,
  NotifyError,
  type NotifyErrorCode,
  type QueueState,
  type RouteKind,
  recordChannel,
  type StormSettings,
} from '@pytake/notify-core';
import { alertIndexDefaults } from './alert-index.js';
import { runScript } from './commands/index.js';
import { type ConversationRef, type MessageRef, orderScore } from './conversation.js';
import { type DigestRef, digestDueEntry, digestDueMember } from './digest-jobs.js';
import type { TargetStatus } from './event-status.js';
import { type QueueKeys, type StormTarget, statusField, stormTargetDigest } from './queue-keys.js';
import type { RedisClient } from './redis-connection.js';
import { untilWritten } from './until-written.js';

export interface OutcomeWriterOptions {
  redis: RedisClient;
  keys: QueueKeys;
  statusTtlMs: number;
  streamMaxLen: number;
  sentTtlMs: number;
  /** How long an alert's Web API messages and a thread's parent are kept (`threadTtlMs`). */
  threadTtlMs: number;
  /** Called with the job id of the next delivery of a conversation once the one before it is final. */
  wake?: (route: RouteKind, jobId: string) => void;
  /** Called with every record before it is written. Errors thrown here are ignored. */
  onDelivery?: (record: DeliveryRecord) => void;
  /** Aborts when the worker gives up on what it holds: a send's record is retried until then. */
  stop: AbortSignal;
  /** A send whose record Redis refused (reported once per send; the record is retried). */
  onError?: (error: Error) => void;
}

/** The target a status entry or a record is about. */
export interface TargetRef {
  eventId: string;
  route: RouteKind;
  targetId: string;
  /** The delivery's place in its alert's conversation with the target, when it has one. */
  conversation?: ConversationRef;
}

/** What a send adds to its alert's conversation with a Web API channel. */
export interface SentMessage {
  /** Set when the send posted the thread's parent. */
  parentTs?: string;
  /** The message posted, kept for later edits. */
  message?: MessageRef;
  /** An email's subject, kept with the alert in the index of recent alerts. */
  emailSubject?: string;
}

/** What storm control decided for one delivery (see commands/storm-fold.lua). */
export type FoldDecision =
  | { kind: 'alone'; firstReportedInDigest?: string }
  | { kind: 'fold'; digest: DigestRef; isNew: boolean };

// The most Web API messages kept per alert for later edits.
const MAX_MESSAGES = 50;

/**
 * Writes what became of each target, one command each (src/commands): a queue state while the
 * delivery waits, and at the end its record together with its status entry, and after a send its
 * sent marker too, so that Redis has all of them or none.
 */
export function createOutcomeWriter(options: OutcomeWriterOptions) {
  const { redis, keys } = options;
  const ttl = Math.max(1, Math.ceil(options.statusTtlMs));
  const entryOf = (
    ref: TargetRef,
    fields: Pick<TargetStatus, 'target' | 'state' | 'reason' | 'error'>,
  ): string => {
    const entry: TargetStatus = {
      route: ref.route,
      channel: recordChannel[ref.route],
      ...fields,
      at: new Date().toISOString(),
    };
    return JSON.stringify(entry);
  };
  const emit = (record: DeliveryRecord) => {
    try {
      options.onDelivery?.(record);
    } catch {
      // A broken metrics hook must not turn a delivered alert into a failed job.
    }
  };
  const recordEntry = (ref: TargetRef, record: DeliveryRecord, state: TargetStatus['state']) =>
    entryOf(ref, { target: record.target, state, reason: record.reason, error: record.error });
  const stormTargetOf = (ref: TargetRef, record: DeliveryRecord): StormTarget => ({
    organizationId: record.organizationId,
    route: ref.route,
    targetId: ref.targetId,
  });
  // A script takes its keys whether or not the delivery has a conversation: without one, its member
  // is '' and the order key (the status hash's, unread) is never touched.
  const orderKey = (ref: TargetRef) =>
    ref.conversation ? keys.order(ref.conversation) : keys.status(ref.eventId);
  const wakeNext = (ref: TargetRef, next: unknown) => {
    if (typeof next !== 'string' || !options.wake) return;
    try {
      options.wake(ref.route, next);
    } catch {
      // Waking is a shortcut: the next delivery also looks again on its own.
    }
  };

  return {
    /** Whether the target's entry holds an outcome (anything but a queue state). */
    async hasOutcome(ref: TargetRef): Promise<boolean> {
      const entry = await redis.hget(keys.status(ref.eventId), statusField(ref.route, ref.targetId));
      if (entry === null) return false;
      const { state } = JSON.parse(entry) as TargetStatus;
      return state !== 'waiting' && state !== 'delayed' && state !== 'retrying';
    },
    /** Where the delivery is in the queue: a queue state, which never replaces an outcome. */
    async state(
      ref: TargetRef,
      target: string,
      state: QueueState,
      error?: { code: NotifyErrorCode; message: string },
    ): Promise<void> {
      const next = await runScript(
        redis,
        'setStatus',
        [keys.status(ref.eventId), orderKey(ref)],
        [
          statusField(ref.route, ref.targetId),
          entryOf(ref, { target, state, error }),
          ttl,
          state === 'dead' ? (ref.conversation?.jobId ?? '') : '',
        ],
      );
      wakeNext(ref, next);
    },
    /** An outcome without a send (skipped, duplicate, failed), or `dead` for a failed record that ends in the dead letters. */
    async outcome(
      ref: TargetRef,
      record: DeliveryRecord,
      state: 'dead' | DeliveryRecord['status'] = record.status,
    ) {
      emit(record);
      const next = await runScript(
        redis,
        'recordOutcome',
        [keys.status(ref.eventId), keys.records, keys.event(ref.eventId), orderKey(ref)],
        [
          statusField(ref.route, ref.targetId),
          recordEntry(ref, record, state),
          state,
          ttl,
          JSON.stringify(record),
          options.streamMaxLen,
          ref.conversation?.jobId ?? '',
        ],
      );
      wakeNext(ref, next);
    },
    /**
     * Storm control for a delivery whose claim it holds: counts it for its target and, when the
     * target storms, folds it into the current digest and writes its `digested` outcome with it
     * (`record`, without `digestId`, which the script adds). Returns what was decided.
     */
    async fold(
      ref: TargetRef,
      input: {
        jobId: string;
        settings: StormSettings;
        bypass: boolean;
        event: AlertEvent;
        record: DeliveryRecord;
        idempotencyKey: string;
      },
    ): Promise<FoldDecision> {
      const { record, event, settings } = input;
      const target = stormTargetOf(ref, record);
      const [kind, digestId, dueAt, isNew, next] = (await runScript(
        redis,
        'stormFold',
        [
          keys.storm(target),
          keys.arrivals(target),
          keys.held(target),
          keys.digestsDue,
          keys.idempotency(input.idempotencyKey),
          keys.status(ref.eventId),
          keys.records,
          keys.event(ref.eventId),
          orderKey(ref),
        ],
        [
          input.jobId,
          settings.threshold,
          settings.windowMs,
          settings.intervalMs,
          input.bypass ? '1' : '0',
          event.alert.id,
          JSON.stringify(event),
          orderScore(event),
          stormTargetDigest(target),
          statusField(ref.route, ref.targetId),
          recordEntry(ref, record, 'digested'),
          JSON.stringify(record),
          ttl,
          options.streamMaxLen,
          Math.max(1, Math.ceil(options.sentTtlMs)),
          digestDueMember(target),
          ttl,
          JSON.stringify({ eventId: ref.eventId, alertId: record.alertId, eventType: record.eventType }),
          ref.conversation?.jobId ?? '',
        ],
      )) as [string, string, number, number, string];
      if (kind === 'alone') return digestId ? { kind, firstReportedInDigest: digestId } : { kind };
      emit({ ...record, digestId });
      wakeNext(ref, next || undefined);
      return {
        kind: 'fold',
        digest: { ...target, digestId, dueAt: Number(dueAt) },
        isNew: Number(isNew) === 1,
      };
    },
    /**
     * The final outcome of a digest (`ref` is the digest job's): its own status entry and one record
     * per event folded into it (`records`), with the sent marker when it was sent. A dead digest
     * keeps its events, for a retry from the dead letters.
     */
    async digestOutcome(
      ref: TargetRef,
      digest: DigestRef,
      record: DeliveryRecord,
      records: readonly DeliveryRecord[],
      state: 'dead' | DeliveryRecord['status'],
    ): Promise<void> {
      for (const each of records) emit(each);
      const sent = state === 'delivered' || state === 'partial';
      const write = () =>
        runScript(
          redis,
          'recordDigest',
          [
            keys.status(ref.eventId),
            keys.records,
            keys.idempotency(record.idempotencyKey ?? ''),
            keys.held(digest),
            keys.digestsDue,
          ],
          [
            statusField(ref.route, ref.targetId),
            recordEntry(ref, record, state),
            ttl,
            options.streamMaxLen,
            sent ? Math.max(1, Math.ceil(options.sentTtlMs)) : '',
            digest.digestId,
            digestDueEntry(digest),
            state === 'dead' ? '1' : '0',
            ...records.map((each) => JSON.stringify(each)),
          ],
        );
      // A digest that went out is recorded like any send: retried until Redis takes it.
      if (!sent) {
        await write();
        return;
      }
      await untilWritten(write, {
        stop: options.stop,
        onFailure: (cause) =>
          options.onError?.(
            new NotifyError(
              `a digest to ${record.target} was sent, but Redis refused its records (${(cause as Error).message}); retrying the records until Redis takes them, without sending again`,
              { code: 'transient', retryable: true, cause },
            ),
          ),
      });
    },
    /**
     * A send (delivered or partial), with its sent marker. Retried until Redis takes it (see
     * `untilWritten`): the alert went out, so it is recorded, never sent again, and never failed.
     */
    async sent(ref: TargetRef, record: DeliveryRecord, idempotencyKey: string, sent: SentMessage = {}) {
      emit(record);
      const { conversation } = ref;
      const args = [
        statusField(ref.route, ref.targetId),
        recordEntry(ref, record, record.status),
        ttl,
        JSON.stringify(record),
        options.streamMaxLen,
        Math.max(1, Math.ceil(options.sentTtlMs)),
        conversation?.jobId ?? '',
        conversation?.score ?? 0,
        sent.parentTs ?? '',
        sent.message ? JSON.stringify(sent.message) : '',
        // A Web API channel's conversation keeps its thread for `threadTtlMs`; any other only needs
        // its latest event sent while that event's status is kept.
        sent.message ? Math.max(1, Math.ceil(options.threadTtlMs)) : ttl,
        MAX_MESSAGES,
        sent.emailSubject ?? '',
        record.at.getTime(),
        alertIndexDefaults.maxSubjects,
      ];
      const scriptKeys = [
        keys.status(ref.eventId),
        keys.records,
        keys.idempotency(idempotencyKey),
        keys.event(ref.eventId),
        orderKey(ref),
        conversation ? keys.conversation(conversation) : keys.status(ref.eventId),
        keys.messages(record.organizationId, record.alertId),
        keys.alert(record.organizationId, record.alertId),
      ];
      let next: unknown;
      const write = async () => {
        next = await runScript(redis, 'recordSent', scriptKeys, args);
      };
      await untilWritten(write, {
        stop: options.stop,
        onFailure: (cause) =>
          options.onError?.(
            new NotifyError(
              `a delivery to ${record.target} was sent, but Redis refused its record (${(cause as Error).message}); retrying the record until Redis takes it, without sending again`,
              { code: 'transient', retryable: true, cause },
            ),
          ),
      });
      wakeNext(ref, next);
    },
  };
}
export type OutcomeWriter = ReturnType<typeof createOutcomeWriter>;

/**
 * Puts a target back to `waiting` whatever it was (a dead letter retried by hand), keeping what its
 * entry shows of the target.
 */
export async function resetTargetStatus(
  redis: RedisClient,
  key: string,
  field: string,
  current: TargetStatus,
  ttlMs: number,
): Promise<void> {
  const { error: _error, ...rest } = current;
  const entry: TargetStatus = { ...rest, state: 'waiting', at: new Date().toISOString() };
  await redis
    .multi()
    .hset(key, field, JSON.stringify(entry))
    .pexpire(key, Math.max(1, Math.ceil(ttlMs)))
    .exec();
}
