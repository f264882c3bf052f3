import type { RouteKind } from '@pytake/notify-core';
import { eventOfJob } from './job-event.js';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

// The references every delivery job of ours holds (job-data.ts); all strings.
const deliveryFields = ['eventId', 'organizationId', 'alertId', 'eventType', 'targetId'] as const;

/**
 * Why a job's data is not what this package writes to `queue` (a job added by another producer, an
 * older version or by hand), or undefined when it is. Such a job can never be delivered: the worker
 * fails it at once and the dead-letter view shows it apart, without retrying it.
 */
export function malformedJobData(queue: 'events' | RouteKind, data: unknown): string | undefined {
  if (!isObject(data)) return `malformed job data: ${data === null ? 'null' : typeof data}, not an object`;
  if (queue === 'events') {
    try {
      eventOfJob(data.event);
      return undefined;
    } catch (error) {
      return `malformed job data: not an alert event (${(error as Error).message.slice(0, 200)})`;
    }
  }
  const missing = deliveryFields.filter((field) => typeof data[field] !== 'string');
  return missing.length > 0 ? `malformed job data: no ${missing.join(', ')}` : undefined;
}
