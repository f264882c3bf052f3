import { NotifyError } from '@pytake/notify-core';

/**
 * Redis could not take the event (down, unreachable, or not answering in time). Nothing was
 * enqueued; trying again later may succeed (`retryable`).
 */
export class QueueUnavailableError extends NotifyError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: 'transient', retryable: true, cause: options.cause });
    this.name = 'QueueUnavailableError';
  }
}
