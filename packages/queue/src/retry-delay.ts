import { backoffDelay, isNotifyError } from '@pytake/notify-core';
import type { WorkerSettings } from './worker-options.js';

/**
 * The wait before attempt `attemptsMade + 1` of a delivery: core's backoff (full jitter by default),
 * or the provider's Retry-After when that is longer (capped by `maxHoldMs`). BullMQ's backoff
 * strategy, and the delay of a delivery job added after a failed attempt in its event job.
 */
export function retryDelay(settings: WorkerSettings, attemptsMade: number, error?: unknown): number {
  const retryAfter = isNotifyError(error) ? Math.min(settings.maxHoldMs, error.retryAfterMs ?? 0) : 0;
  return Math.max(backoffDelay(attemptsMade, settings.backoff), retryAfter);
}
