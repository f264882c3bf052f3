import type { RouteKind } from '@pytake/notify-core';
import { DelayedError, type JobsOptions, type Queue } from 'bullmq';
import type { DeliveryJobHandle, DeliveryProcessor } from './deliver-job.js';
import { DeadJob, InDoubt, RetryLater } from './delivery-errors.js';
import type { DeliveryJobData } from './job-data.js';
import { queueNames } from './job-ids.js';
import { retryDelay } from './retry-delay.js';
import { startDeliveryRun } from './tracing.js';
import type { WorkerSettings } from './worker-options.js';

export interface InlineDelivery {
  kind: RouteKind;
  jobId: string;
  data: DeliveryJobData;
  /** The options the delivery job gets when one is needed after all. */
  jobOptions: JobsOptions & { attempts: number };
  /** Stores the event for the delivery job, before it is added. */
  saveEvent(): Promise<void>;
}

/**
 * Delivers the one target of an event inside its event job, through the same processor a delivery
 * job runs, so that the common case (one target, a free slot, a send that succeeds) costs no second
 * job. Whatever cannot end there becomes the delivery job the event would otherwise have added, in
 * the state this run left it: a wait as a delayed job, a transient failure as a job that retries
 * after the backoff with one attempt spent, a permanent one as a job whose first run puts it in the
 * dead letters (its outcome is written already). Crash safety is the event job's: if the process
 * dies, the event job runs again and its delivery keeps its job id and its claim.
 */
export async function deliverInline(
  process: DeliveryProcessor,
  queue: Queue<DeliveryJobData>,
  settings: WorkerSettings,
  inline: InlineDelivery,
): Promise<void> {
  let delayUntil: number | undefined;
  const handle: DeliveryJobHandle = {
    id: inline.jobId,
    data: inline.data,
    opts: { attempts: inline.jobOptions.attempts },
    attemptsMade: 0,
    async updateData(data) {
      handle.data = data;
    },
    async moveToDelayed(timestamp) {
      delayUntil = timestamp;
    },
  };
  const run = startDeliveryRun(inline.kind, handle, queueNames[inline.kind]);
  let later: { data: DeliveryJobData; delay: number; attempts: number };
  try {
    await process(handle, undefined, undefined, run);
    return;
  } catch (caught) {
    // The worker closed before the send was answered: the event job is left as it is (in doubt),
    // and when it runs again its delivery keeps its job id and its claim.
    if (caught instanceof InDoubt) throw caught;
    if (caught instanceof DelayedError) {
      later = {
        data: handle.data,
        delay: Math.max(0, (delayUntil ?? 0) - Date.now()),
        attempts: inline.jobOptions.attempts,
      };
    } else if (caught instanceof DeadJob) {
      run.failed(caught.code, true);
      later = {
        data: { ...handle.data, deadOnArrival: true },
        delay: 0,
        attempts: inline.jobOptions.attempts,
      };
    } else if (caught instanceof RetryLater) {
      // Not the last attempt (the processor would have made it dead), so at least one is left.
      later = {
        data: { ...handle.data, attemptsBefore: 1 },
        delay: retryDelay(settings, 1, caught),
        attempts: inline.jobOptions.attempts - 1,
      };
    } else {
      // Anything unexpected (Redis answering an error): the delivery job runs it again.
      later = { data: handle.data, delay: 0, attempts: inline.jobOptions.attempts };
    }
  } finally {
    run.end();
  }
  await inline.saveEvent();
  await queue.add('delivery', later.data, {
    ...inline.jobOptions,
    jobId: inline.jobId,
    attempts: later.attempts,
    ...(later.delay > 0 ? { delay: later.delay } : {}),
  });
}
