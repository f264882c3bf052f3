import { type AlertEventType, type NotifyErrorCode, ROUTE_KINDS, type RouteKind } from '@pytake/notify-core';
import { Job, type Queue } from 'bullmq';
import { readTargetStatuses } from './event-status.js';
import type { DeliveryJobData, EventJobData } from './job-data.js';
import { resetTargetStatus } from './outcome-writer.js';
import { ORGANIZATION_TARGET, parseStatusField, queueKeys, statusField } from './queue-keys.js';
import type { RedisClient } from './redis-connection.js';

/** One delivery (or event) that failed for good, with its last error. */
export interface DeadLetter {
  /** The job id, for `retry(id)`. */
  id: string;
  /** `events` when the event itself could not be planned (its directory lookup kept failing). */
  queue: 'events' | RouteKind;
  eventId: string;
  organizationId?: string;
  alertId?: string;
  eventType?: AlertEventType;
  /** Redacted, as in records; unknown for an event job. */
  target?: string;
  error: { code: NotifyErrorCode | string; message: string };
  attempts: number;
  failedAt?: Date;
}

/** The dead-letter view: list, and retry one or all. */
export interface DeadLetters {
  /** The newest first, at most `limit` (default 100) per queue. */
  list(options?: { limit?: number }): Promise<DeadLetter[]>;
  /** Puts one dead letter back in its queue with fresh attempts; false when there is no such dead letter. */
  retry(id: string): Promise<boolean>;
  /** Retries every dead letter (at most `limit`, default 10,000); returns how many. */
  retryAll(options?: { limit?: number }): Promise<number>;
}

type AnyQueue = Queue<EventJobData | DeliveryJobData>;

const dataOf = (job: Job) => job.data as Partial<DeliveryJobData> & Partial<EventJobData>;

export function createDeadLetters(
  queues: { events: AnyQueue } & Partial<Record<RouteKind, AnyQueue>>,
  redis: RedisClient,
  prefix: string,
  statusTtlMs: number,
): DeadLetters {
  const keys = queueKeys(prefix);
  const named = (['events', ...ROUTE_KINDS] as const).flatMap((name) => {
    const queue = queues[name];
    return queue ? [[name, queue] as const] : [];
  });

  const toDeadLetter = async (name: 'events' | RouteKind, job: Job): Promise<DeadLetter> => {
    const data = dataOf(job);
    // An event job holds its event; a delivery job what its records need of it.
    const event = (data.event ?? {}) as {
      type?: AlertEventType;
      alert?: { id?: string; organizationId?: string };
    };
    const eventId = name === 'events' ? job.id! : (data.eventId ?? '');
    let target: string | undefined;
    if (name !== 'events' && data.targetId) {
      const statuses = await readTargetStatuses(redis, keys.status(eventId));
      target = statuses.get(statusField(name, data.targetId))?.target;
    }
    return {
      id: job.id!,
      queue: name,
      eventId,
      organizationId: data.organizationId ?? event.alert?.organizationId,
      alertId: data.alertId ?? event.alert?.id,
      eventType: data.eventType ?? event.type,
      target,
      error: data.lastError ?? { code: 'permanent', message: job.failedReason ?? 'unknown' },
      attempts: job.attemptsMade,
      failedAt: job.finishedOn ? new Date(job.finishedOn) : undefined,
    };
  };

  const find = async (id: string) => {
    for (const [name, queue] of named) {
      const job = await Job.fromId(queue, id);
      if (job && (await job.isFailed())) return [name, job] as const;
    }
    return undefined;
  };

  // Back to `waiting` in the status: a delivery's own entry; for an event job, its organization-wide
  // entries (`-`, written when it failed for good) go, and status() shows the job's state again.
  const retryJob = async (name: 'events' | RouteKind, job: Job) => {
    await job.retry('failed');
    const data = dataOf(job);
    if (name === 'events') {
      const key = keys.status(job.id!);
      const fields = [...(await readTargetStatuses(redis, key)).keys()];
      const organizationWide = fields.filter((f) => parseStatusField(f).targetId === ORGANIZATION_TARGET);
      if (organizationWide.length > 0) await redis.hdel(key, ...organizationWide);
    } else if (data.eventId && data.targetId) {
      const key = keys.status(data.eventId);
      const field = statusField(name, data.targetId);
      const current = (await readTargetStatuses(redis, key)).get(field);
      if (current) await resetTargetStatus(redis, key, field, current, statusTtlMs);
    }
  };

  return {
    async list({ limit = 100 } = {}) {
      const letters: DeadLetter[] = [];
      for (const [name, queue] of named) {
        const jobs = await queue.getFailed(0, limit - 1);
        for (const job of jobs) if (job) letters.push(await toDeadLetter(name, job));
      }
      return letters.sort((a, b) => (b.failedAt?.getTime() ?? 0) - (a.failedAt?.getTime() ?? 0));
    },
    async retry(id) {
      const found = await find(id);
      if (!found) return false;
      await retryJob(found[0], found[1]);
      return true;
    },
    async retryAll({ limit = 10_000 } = {}) {
      let count = 0;
      for (const [name, queue] of named) {
        // Bounded: pages of 500 up to `limit` in all. Retried jobs leave the failed set, so page 0 again.
        for (let page = 0; page < Math.ceil(limit / 500) && count < limit; page++) {
          const jobs = (await queue.getFailed(0, Math.min(500, limit - count) - 1)).filter(Boolean);
          if (jobs.length === 0) break;
          for (const job of jobs) {
            await retryJob(name, job);
            count++;
          }
        }
      }
      return count;
    },
  };
}
