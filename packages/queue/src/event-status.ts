import type { DeliveryStatus, NotifyErrorCode, QueueState, RouteKind, SkipReason } from '@pytake/notify-core';
import { runScript } from './commands/index.js';
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

export const statusKey = (prefix: string, eventId: string) => `${prefix}:status:${eventId}`;
export const statusField = (route: RouteKind, fingerprint: string) => `${route}.${fingerprint}`;

/**
 * Sets one target's entry (src/commands/set-status.lua): never backwards from an outcome to a queue
 * state, unless `force` (a dead letter retried).
 */
export async function writeTargetStatus(
  redis: RedisClient,
  key: string,
  field: string,
  entry: Omit<TargetStatus, 'at'>,
  options: { ttlMs: number; force?: boolean },
): Promise<void> {
  const value = JSON.stringify({ ...entry, at: new Date().toISOString() });
  await runScript(redis, 'setStatus', key, [
    field,
    value,
    options.force ? 'force' : 'keep',
    entry.state,
    options.ttlMs,
  ]);
}

export async function readTargetStatuses(
  redis: RedisClient,
  key: string,
): Promise<Map<string, TargetStatus>> {
  const entries = await redis.hgetall(key);
  return new Map(Object.entries(entries).map(([field, value]) => [field, JSON.parse(value) as TargetStatus]));
}
