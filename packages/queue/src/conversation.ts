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
     * Puts an event's deliveries in their orders and takes the event out of `unplanned`, in one
     * transaction. Must be done before the event's status is written (see `check()`).
     */
    plan(
      eventId: string,
      alert: { organizationId: string; alertId: string },
      deliveries: readonly ConversationRef[],
    ): Promise<unknown> {
      const multi = redis.multi();
      for (const ref of deliveries) {
        multi.zadd(keys.order(ref), ref.score, ref.jobId).pexpire(keys.order(ref), statusTtl);
      }
      return multi.zrem(keys.unplanned(alert.organizationId, alert.alertId), eventId).exec();
    },
    /**
     * Whether `ref` may be sent now: no earlier event of its alert is still unplanned, and none
     * planned to its target is still short of final. One round trip in the common case.
     */
    async check(ref: ConversationRef): Promise<OrderCheck> {
      const unplanned = keys.unplanned(ref.organizationId, ref.alertId);
      const below = `(${ref.score}`;
      const [[, earlierEvents], [, earlierDeliveries], [, state]] = (await redis
        .multi()
        .zrangebyscore(unplanned, '-inf', below, 'LIMIT', 0, 8)
        .zrangebyscore(keys.order(ref), '-inf', below, 'LIMIT', 0, 1)
        .hmget(keys.conversation(ref), 'sent', 'parent')
        .exec()) as [[unknown, string[]], [unknown, string[]], [unknown, (string | null)[]]];
      // One transaction: planning adds an event's deliveries to their orders as it leaves
      // `unplanned` (see `plan()`), so an earlier event is in one or the other until it is final.
      if (earlierDeliveries[0] !== undefined) return { go: false, waitingFor: earlierDeliveries[0] };
      for (const eventId of earlierEvents) {
        // Enqueued again after it was planned (the producer cannot tell): its status, written only
        // once `plan()` is done, says it was.
        if ((await redis.exists(keys.status(eventId))) === 1) {
          await redis.zrem(unplanned, eventId);
          continue;
        }
        return { go: false, waitingFor: eventId };
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
