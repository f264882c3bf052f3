import type { AlertEvent, AlertEventType, RouteKind } from '@pytake/notify-core';
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
export type OrderCheck =
  /** Every earlier event to the target is final: go. `late` when a later one was sent already. */
  | { go: true; late: boolean; parent: string | undefined }
  /** An earlier event is not final yet (its job id, or the event id while it is not planned). */
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
     * status only once both are done (see `check()`).
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
     * Whether `ref` may be sent now: no earlier event of its alert is still unplanned, and none
     * planned to its target is still short of final. One round trip in the common case.
     */
    async check(ref: ConversationRef, rereads = 2): Promise<OrderCheck> {
      const unplanned = keys.unplanned(ref.organizationId, ref.alertId);
      const below = `(${ref.score}`;
      const [[, earlierEvents], [, earlierDeliveries], [, state]] = (await redis
        .multi()
        .zrangebyscore(unplanned, '-inf', below, 'LIMIT', 0, 8)
        .zrangebyscore(keys.order(ref), '-inf', below, 'LIMIT', 0, 1)
        .hmget(keys.conversation(ref), 'sent', 'parent')
        .exec()) as [[unknown, string[]], [unknown, string[]], [unknown, (string | null)[]]];
      if (earlierDeliveries[0] !== undefined) return { go: false, waitingFor: earlierDeliveries[0] };
      if (earlierEvents.length > 0) {
        const statuses = (await redis
          .multi(earlierEvents.map((eventId) => ['exists', keys.status(eventId)]))
          .exec()) as [unknown, number][];
        const waitingFor = earlierEvents.find((_, i) => statuses[i]![1] === 0);
        if (waitingFor !== undefined || rereads === 0)
          return { go: false, waitingFor: waitingFor ?? earlierEvents[0]! };
        // Each has a status, written only after `plan()`: planned since the read above (its
        // deliveries are in their orders now), or enqueued again after it was planned (the producer
        // cannot tell). Out of `unplanned`, and the orders read again.
        await redis.zrem(unplanned, ...earlierEvents);
        return this.check(ref, rereads - 1);
      }
      const [sent, parent] = state;
      return {
        go: true,
        late: sent != null && Number(sent) > ref.score,
        parent: isTs(parent) ? parent : undefined,
      };
    },
    /**
     * Who posts the thread's parent: its ts once posted, `post` for this delivery (its claim lasts
     * `claimTtlMs`), `held` while another delivery's claim lives. `late` when a later event of the
     * alert was sent to the channel meanwhile (since `check()`).
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
