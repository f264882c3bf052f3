import type { Queue } from 'bullmq';
import type { queueNames } from './job-ids.js';

/**
 * The states a job is counted in, per queue: `waiting` for a worker, `delayed` (a rate-limit wait, a
 * 429 hold or a retry's backoff: BullMQ keeps them all in its delayed set), `active` on a worker now,
 * and `dead` (failed for good: the dead letters).
 */
export const QUEUE_JOB_STATES = ['waiting', 'delayed', 'active', 'dead'] as const;
/** A state a job is counted in (see {@link QUEUE_JOB_STATES}). */
export type QueueJobState = (typeof QUEUE_JOB_STATES)[number];

/** The name of one of the queue's BullMQ queues: `events`, `deliveries-email`, ... (see `queueNames`). */
export type QueueName = (typeof queueNames)[keyof typeof queueNames];

/** Jobs per queue and state, e.g. `counts['deliveries-slack'].delayed`. */
export type QueueJobCounts = Record<QueueName, Record<QueueJobState, number>>;

/** Counts the jobs of each queue by state, one read per queue. */
export async function readJobCounts(queues: Record<QueueName, Queue>): Promise<QueueJobCounts> {
  const entries = await Promise.all(
    Object.entries(queues).map(async ([name, queue]) => {
      const c = await queue.getJobCounts('wait', 'prioritized', 'delayed', 'active', 'failed');
      const counts: Record<QueueJobState, number> = {
        waiting: (c.wait ?? 0) + (c.prioritized ?? 0),
        delayed: c.delayed ?? 0,
        active: c.active ?? 0,
        dead: c.failed ?? 0,
      };
      return [name, counts] as const;
    }),
  );
  return Object.fromEntries(entries) as QueueJobCounts;
}
