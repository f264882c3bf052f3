/**
 * Where a delivery is while it is not finished yet: waiting for a worker, delayed by a rate limit or
 * hold, waiting to retry after a transient failure, or dead (failed for good, in the dead letters).
 * TODO(lead): move beside core's `DeliveryStatus`, so that the app and metrics share them.
 */
export const QUEUE_STATES = ['waiting', 'delayed', 'retrying', 'dead'] as const;
export type QueueState = (typeof QUEUE_STATES)[number];
