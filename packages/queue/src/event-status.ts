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
 * state, unless `force` (a dead letter retried). With `record`, the same command appends the record
 * to the records stream and, with `sent`, sets the delivery's sent marker: one round trip and one
 * script per finished delivery.
 */
export async function writeTargetStatus(
  redis: RedisClient,
  key: string,
  field: string,
  entry: Omit<TargetStatus, 'at'>,
  options: {
    ttlMs: number;
    force?: boolean;
    record?: { stream: string; json: string; maxLen: number };
    sent?: { key: string; ttlMs: number };
  },
): Promise<void> {
  const value = JSON.stringify({ ...entry, at: new Date().toISOString() });
  const { record, sent } = options;
  const args: (string | number)[] = [
    field,
    value,
    options.force ? 'force' : 'keep',
    entry.state,
    options.ttlMs,
  ];
  const keys = [key];
  if (record) {
    keys.push(record.stream);
    args.push(record.json, record.maxLen);
    if (sent) {
      keys.push(sent.key);
      args.push(Math.max(1, Math.ceil(sent.ttlMs)));
    }
  }
  await runScript(redis, 'setStatus', keys, args);
}

export async function readTargetStatuses(
  redis: RedisClient,
  key: string,
): Promise<Map<string, TargetStatus>> {
  const entries = await redis.hgetall(key);
  return new Map(Object.entries(entries).map(([field, value]) => [field, JSON.parse(value) as TargetStatus]));
}
