import {
  type AlertEventType,
  NotifyError,
  type NotifyErrorCode,
  ROUTE_KINDS,
  type RouteKind,
} from '@pytake/notify-core';
import { Job, type Queue } from 'bullmq';
import { readTargetStatuses } from './event-status.js';
import type { DeliveryJobData, EventJobData } from './job-data.js';
import { malformedJobData } from './malformed-job.js';
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
  /**
   * The last error: ours, or when the job failed without one (another consumer failed it, or it
   * stalled too often) BullMQ's, with code `unknown`.
   */
  error: { code: NotifyErrorCode | string; message: string };
  attempts: number;
  failedAt?: Date;
  /**
   * Set when the job's data is not what this package writes (a job added by another producer, an
   * older version or by hand): why, starting with `malformed job data`. Such a letter has only its
   * id, queue, error and attempts; `retryAll()` skips it and `retry(id)` refuses it.
   */
  malformed?: string;
}

/** The dead-letter view: list, and retry one or all. */
export interface DeadLetters {
  /** The newest first, at most `limit` (default 100) per queue. */
  list(options?: { limit?: number }): Promise<DeadLetter[]>;
  /**
   * Puts one dead letter back in its queue with fresh attempts; false when there is no such dead
   * letter. Rejects with a `NotifyError` (code `validation`) for a malformed one, which would only
   * fail again.
   */
  retry(id: string): Promise<boolean>;
  /** Retries every dead letter but malformed ones (at most `limit`, default 10,000); returns how many. */
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

  // What BullMQ kept, for a job that failed without an error of ours: not known to be permanent.
  const keptByBullMQ = (job: Job) => ({ code: 'unknown', message: job.failedReason || 'unknown' });

  const toDeadLetter = async (name: 'events' | RouteKind, job: Job): Promise<DeadLetter> => {
    const malformed = malformedJobData(name, job.data);
    if (malformed) {
      return {
        id: job.id!,
        queue: name,
        eventId: name === 'events' ? job.id! : '',
        error: keptByBullMQ(job),
        attempts: job.attemptsMade,
        failedAt: job.finishedOn ? new Date(job.finishedOn) : undefined,
        malformed,
      };
    }
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
      error: data.lastError ?? keptByBullMQ(job),
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
      const malformed = malformedJobData(found[0], found[1].data);
      if (malformed) {
        throw new NotifyError(
          `dead letter ${id} (${found[0]}) holds ${malformed}: it would only fail again, so it is not retried; look at it and remove it with BullMQ`,
          { code: 'validation' },
        );
      }
      await retryJob(found[0], found[1]);
      return true;
    },
    async retryAll({ limit = 10_000 } = {}) {
      let count = 0;
      for (const [name, queue] of named) {
        // Retried jobs leave the failed set and malformed ones stay in it: each page starts after
        // those skipped so far. Every round retries or skips at least one job, or ends.
        const skipped = new Set<string>();
        while (count < limit) {
          const from = skipped.size;
          const jobs = (await queue.getFailed(from, from + Math.min(500, limit - count) - 1)).filter(Boolean);
          const fresh = jobs.filter((job) => !skipped.has(job.id!));
          if (fresh.length === 0) break;
          for (const job of fresh) {
            if (count >= limit) break;
            if (malformedJobData(name, job.data)) {
              skipped.add(job.id!);
              continue;
            }
            await retryJob(name, job);
            count++;
          }
        }
      }
      return count;
    },
  };
}
