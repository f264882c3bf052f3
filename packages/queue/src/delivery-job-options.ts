import { queueDefaults } from './defaults.js';
import type { WorkerSettings } from './worker-options.js';

/** The BullMQ options of every delivery job, a target's or a digest's. */
export const deliveryJobOptions = (settings: Pick<WorkerSettings, 'deliveryAttempts'>) => ({
  attempts: settings.deliveryAttempts,
  backoff: { type: 'notify' },
  removeOnComplete: { count: queueDefaults.keepCompleted },
  removeOnFail: false,
  stackTraceLimit: 1,
});
