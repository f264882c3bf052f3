import { NotifyError, type NotifyErrorCode } from '@pytake/notify-core';
import { UnrecoverableError } from 'bullmq';

/** An attempt that failed but may succeed later: thrown to BullMQ, which retries it with core's backoff. */
export class RetryLater extends NotifyError {
  constructor(message: string, code: NotifyErrorCode, retryAfterMs?: number) {
    super(message, { code, retryable: true, retryAfterMs });
    this.name = 'RetryLater';
  }
}

/**
 * A job that failed for good, its outcome already written: BullMQ moves it to the failed set (the
 * dead letters) without another attempt. Carries the code its span reports.
 */
export class DeadJob extends UnrecoverableError {
  constructor(
    message: string,
    readonly code: NotifyErrorCode,
  ) {
    super(message);
    this.name = 'DeadJob';
  }
}
