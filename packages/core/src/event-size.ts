import { ValidationError } from './errors.js';
import type { AlertEvent } from './events.js';

/** The largest event accepted, as JSON: `notify()`'s and `enqueue()`'s `maxEventBytes`. @default 65536 */
export const DEFAULT_MAX_EVENT_BYTES = 64 * 1024;

/**
 * Refuses an event whose JSON is larger than `maxBytes`: an alert is a title and a few fields, and an
 * event of megabytes (a log pasted into the description) would be rendered into every email and
 * message of every target, and kept in Redis by a queue.
 * @throws ValidationError naming the size and the limit.
 */
export function checkEventSize(event: AlertEvent, maxBytes: number = DEFAULT_MAX_EVENT_BYTES): void {
  const bytes = Buffer.byteLength(JSON.stringify(event));
  if (bytes > maxBytes) {
    throw new ValidationError('Alert event too large', [
      {
        path: '(event)',
        message: `expected at most ${maxBytes} bytes of JSON (maxEventBytes), got ${bytes}; keep long text (logs, dumps) behind the alert's url`,
      },
    ]);
  }
}
