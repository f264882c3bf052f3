import type { AlertEvent, AlertEventType, ClaimResult, RouteKind } from '@pytake/notify-core';
import { runScript } from './commands/index.js';
import type { DeliveryJobData } from './job-data.js';
import type { ConversationId, QueueKeys } from './queue-keys.js';
import type { RedisClient } from './redis-connection.js';

// Events of one alert at the same instant go in the order an incident has them.
const typeRank: Record<AlertEventType, number> = {
  'alert.created': 0,
  'alert.escalated': 1,
  'alert.stale': 2,
  'alert.resolved': 3,
};

/**
 * Where an event stands among its alert's events: by `occurredAt`, ties broken created < escalated
 * < stale < resolved. An integer below 2^53 (exact as a Redis score) for any date before year 10000.
 */
export function orderScore(event: Pick<AlertEvent, 'type' | 'occurredAt'>): number {
  return event.occurredAt.getTime() * 4 + typeRank[event.type];
}

/** One delivery in its alert's conversation with its target. */
export interface ConversationRef extends ConversationId {
  /** The delivery's job id: its member in the order. */
  jobId: string;
  /** Its event's `orderScore()`. */
  score: number;
}

/** The conversation of a delivery job: set when its event was planned with conversations on. */
export function conversationOf(
  route: RouteKind,
  jobId: string | undefined,
  data: DeliveryJobData,
): ConversationRef | undefined {
  if (data.order === undefined || jobId === undefined) return undefined;
  const { organizationId, alertId, targetId } = data;
  return { organizationId, alertId, route, targetId, jobId, score: data.order };
}

/** A Web API message the queue posted for an alert, kept for later edits (JSON in Redis). */
export interface MessageRef {
  /** Channel id. */
  channel: string;
  ts: string;
  /** The event the message told of, as JSON, without its alert: an edit renders it for the alert as it is then. */
  event: Record<string, unknown>;
}

/** What a message keeps of its event: all but the alert. */
export function messageEvent(event: AlertEvent): Record<string, unknown> {
  const { alert: _, ...rest } = event;
  return JSON.parse(JSON.stringify(rest)) as Record<string, unknown>;
}

/** What the conversation allows a delivery to do now. */
export type OrderClaim =
  /**
   * Every earlier event to the target is final: the delivery's claim was tried (`state`, as
   * `IdempotencyStore.claim` answers). `late` when a later event was sent to the target already.
   */
  | {
      go: true;
      state: ClaimResult;
      late: boolean;
      /**
       * With `threaded` and the key claimed: the thread's parent ts once posted, `post` for this
       * delivery to post it (its claim lasts as the key's), `held` while another delivery posts it.
       */
      parent: string | 'post' | 'held' | undefined;
    }
  /** An earlier event is not final yet (its delivery's job id, or its event id while unplanned). */
  | { go: false; waitingFor: string };

const isTs = (value: string | null | undefined): value is string =>
  typeof value === 'string' && /^\d+\.\d+$/.test(value);

/**
 * The conversations of alerts with their targets, kept in Redis for every worker: the order of
 * each alert's deliveries to each target, the latest event sent there, and a threaded channel's
 * parent message.
 */
export function createConversations(
  redis: RedisClient,
  keys: QueueKeys,
  ttls: { statusTtlMs: number; threadTtlMs: number },
) {
  const ttl = Math.max(1, Math.ceil(ttls.threadTtlMs));
  const statusTtl = Math.max(1, Math.ceil(ttls.statusTtlMs));
  return {
    /**
     * Puts an event's deliveries in their orders, then takes the event out of `unplanned`. Plain
     * commands, issued before the event's status is written on the same connection, so that Redis
     * runs them in that order (a MULTI may be sent later than commands issued after it): a later
     * event of the alert finds this one in `unplanned` or in its orders until it is final, and a
     * status only once both are done (see `claim()`).
     */
    plan(
      eventId: string,
      alert: { organizationId: string; alertId: string },
      deliveries: readonly ConversationRef[],
    ): Promise<unknown> {
      const writes: Promise<unknown>[] = [];
      for (const ref of deliveries) {
        writes.push(
          redis.zadd(keys.order(ref), ref.score, ref.jobId),
          redis.pexpire(keys.order(ref), statusTtl),
        );
      }
      writes.push(redis.zrem(keys.unplanned(alert.organizationId, alert.alertId), eventId));
      return Promise.all(writes);
    },
    /**
     * Claims the delivery's idempotency key (`key`) once no earlier event of its alert is still
     * unplanned and none planned to its target is short of final; until then, claims nothing and
     * says what it waits for. One script, one round trip, in the common case.
     */
    async claim(
      ref: ConversationRef,
      key: string,
      options: { claimTtlMs: number; threaded: boolean },
      rereads = 2,
    ): Promise<OrderClaim> {
      const unplanned = keys.unplanned(ref.organizationId, ref.alertId);
      const answer = (await runScript(
        redis,
        'claimInOrder',
        [keys.idempotency(key), unplanned, keys.order(ref), keys.conversation(ref)],
        [Math.max(1, Math.ceil(options.claimTtlMs)), ref.score, options.threaded ? ref.jobId : '', ttl],
      )) as string[];
      const [kind, ...rest] = answer;
      if (kind === 'wait') return { go: false, waitingFor: rest[0]! };
      if (kind === 'unplanned') {
        const statuses = (await redis
          .multi(rest.map((eventId) => ['exists', keys.status(eventId)]))
          .exec()) as [unknown, number][];
        const waitingFor = rest.find((_, i) => statuses[i]![1] === 0);
        if (waitingFor !== undefined || rereads === 0)
          return { go: false, waitingFor: waitingFor ?? rest[0]! };
        // Each has a status, written only after `plan()`: planned since the script read it (its
        // deliveries are in their orders now), or enqueued again after it was planned (the producer
        // cannot tell). Out of `unplanned`, and the orders read again.
        await redis.zrem(unplanned, ...rest);
        return this.claim(ref, key, options, rereads - 1);
      }
      const [sent, parent] = rest;
      return {
        go: true,
        state: kind as ClaimResult,
        late: sent !== '' && sent !== undefined && Number(sent) > ref.score,
        parent: parent === 'post' || parent === 'held' || isTs(parent) ? parent : undefined,
      };
    },
    /**
     * Who posts the thread's parent, for a delivery that claimed its key without its order (past
     * `orderWaitMs`): as `claim()`'s `parent`, and `late` when a later event of the alert was sent.
     */
    async claimParent(
      ref: ConversationRef,
      claimTtlMs: number,
    ): Promise<{ parent: string | 'post' | 'held'; late: boolean }> {
      const [parent, sent] = (await runScript(
        redis,
        'threadClaim',
        [keys.conversation(ref)],
        [ref.jobId, Math.max(1, Math.ceil(claimTtlMs)), ttl],
      )) as [string, string | null];
      return { parent: String(parent), late: sent != null && Number(sent) > ref.score };
    },
    /** Gives back this delivery's claim to post the parent, after its send failed. */
    async releaseParent(ref: ConversationRef): Promise<void> {
      await runScript(redis, 'threadRelease', [keys.conversation(ref)], [ref.jobId]);
    },
    /** The Web API messages posted for an alert, oldest first. */
    async messages(organizationId: string, alertId: string): Promise<MessageRef[]> {
      const entries = await redis.zrange(keys.messages(organizationId, alertId), 0, -1);
      return entries.flatMap((entry) => {
        try {
          return [JSON.parse(entry) as MessageRef];
        } catch {
          return [];
        }
      });
    },
  };
}
export type Conversations = ReturnType<typeof createConversations>;
