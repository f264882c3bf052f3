import type { DeliveryStatus, NotifyErrorCode, QueueState, RouteKind, SkipReason } from '@pytake/notify-core';
import type { RedisClient } from './redis-connection.js';

/** Where one target of an event stands: an outcome (core's DeliveryStatus) or a queue state. */
export interface TargetStatus {
  route: RouteKind;
  /** The record's channel: `email`, `slack` or `slack-api`. */
  channel: string;
  /** Redacted, as in records. `-` for an outcome that concerns the whole organization. */
  target: string;
  state: DeliveryStatus | QueueState;
  reason?: SkipReason;
  error?: { code: NotifyErrorCode; message: string };
  /** With `digested`: the storm digest the event was folded into. */
  digestId?: string;
  /** ISO time of the last change. */
  at: string;
}

/** What any process can read about one enqueued event. */
export interface EventStatus {
  /** The event's job id, as `enqueue()` returned it. */
  id: string;
  /**
   * `planned`: the event was fanned out to its targets (see `targets`); before that the event job's
   * own queue state.
   */
  state: 'planned' | QueueState;
  targets: TargetStatus[];
}

/** The entries of an event's status hash (`queueKeys().status`), by field. */
export async function readTargetStatuses(
  redis: RedisClient,
  key: string,
): Promise<Map<string, TargetStatus>> {
  const entries = await redis.hgetall(key);
  return new Map(Object.entries(entries).map(([field, value]) => [field, JSON.parse(value) as TargetStatus]));
}
