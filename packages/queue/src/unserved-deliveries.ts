import { NotifyError, ROUTE_KINDS, type RouteKind } from '@pytake/notify-core';
import type { Queue } from 'bullmq';
import { readTargetStatuses } from './event-status.js';
import type { DeliveryJobData } from './job-data.js';
import { malformedJobData } from './malformed-job.js';
import type { OutcomeWriter } from './outcome-writer.js';
import { type QueueKeys, statusField } from './queue-keys.js';
import type { RedisClient } from './redis-connection.js';

export interface UnservedWatchOptions {
  redis: RedisClient;
  keys: QueueKeys;
  writer: OutcomeWriter;
  queues: Record<RouteKind, Queue<DeliveryJobData>>;
  /** The kinds this worker delivers: the others are watched. */
  served: readonly RouteKind[];
  afterMs: number;
  onError?: (error: Error) => void;
}

// The waiting deliveries marked per check, oldest first: enough for an operator to see, bounded.
const MARKED_PER_CHECK = 100;

/**
 * Watches the delivery queues of the kinds this worker does not deliver. Planning enqueues every
 * target a tenant has, so a deployment without a worker for a kind (no email route anywhere, say)
 * would leave those deliveries waiting in silence: once the oldest has waited `afterMs` and no
 * worker is connected to its queue, it is reported through `onError`, and the waiting targets show
 * the error in `status()`. Returns a function that stops watching.
 */
export function watchUnservedDeliveries(options: UnservedWatchOptions): () => void {
  const watched = ROUTE_KINDS.filter((kind) => !options.served.includes(kind));
  if (watched.length === 0) return () => {};
  const check = async (kind: RouteKind) => {
    const queue = options.queues[kind];
    const waiting = await queue.getJobs(['wait'], 0, MARKED_PER_CHECK - 1, true);
    const oldest = waiting[0];
    if (!oldest || Date.now() - oldest.timestamp < options.afterMs) return;
    if ((await queue.getWorkersCount()) > 0) return;
    const total = await queue.getWaitingCount();
    const error = {
      code: 'config' as const,
      message: `no running worker delivers ${kind}: start one with routes.${kind} (the oldest of ${total} waiting has waited ${Math.round((Date.now() - oldest.timestamp) / 1000)} s)`,
    };
    options.onError?.(new NotifyError(error.message, { code: 'config' }));
    for (const job of waiting) {
      if (malformedJobData(kind, job.data)) continue;
      const { eventId, targetId } = job.data;
      const current = (await readTargetStatuses(options.redis, options.keys.status(eventId))).get(
        statusField(kind, targetId),
      );
      if (current?.state === 'waiting' && !current.error)
        await options.writer.state({ eventId, route: kind, targetId }, current.target, 'waiting', error);
    }
  };
  const timer = setInterval(
    () => {
      for (const kind of watched) check(kind).catch(() => {});
    },
    Math.min(60_000, Math.max(100, options.afterMs / 2)),
  );
  timer.unref();
  return () => clearInterval(timer);
}
