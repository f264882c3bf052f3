import { NotifyError, type NotifyErrorCode } from '@pytake/notify-core';
import { DelayedError, UnrecoverableError } from 'bullmq';

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

/**
 * Thrown where a job waits before its send (for the directory, a claim or a rate-limit slot) once
 * `close()` passed its deadline: the processor puts the job back in the queue at once.
 */
export class BackToQueue extends Error {
  constructor() {
    super('the worker is closing: back to the queue');
    this.name = 'BackToQueue';
  }
}

/**
 * A send that `close()` stopped waiting for (past `sendTimeoutMs`): it may have reached the provider
 * or not. Nothing is written for it, as after a crash: the job keeps its claim, its lock expires, and
 * another worker runs it once the claim expired. A DelayedError, which BullMQ leaves as it is.
 */
export class InDoubt extends DelayedError {
  constructor() {
    super('the worker closed before the send was answered');
  }
}

/**
 * Thrown by a delivery's claim when storm control folded it into a digest: its `digested` outcome is
 * written already, and the job ends without a send.
 */
export class Folded extends Error {
  constructor() {
    super('folded into a storm digest');
    this.name = 'Folded';
  }
}
