import { sleep } from '@pytake/notify-core';

export interface UntilWrittenOptions {
  /** Aborts when the worker gives up (closed past its ceiling): the write is then left undone. */
  stop: AbortSignal;
  /** The first failure, for `onError`. */
  onFailure?: (error: unknown) => void;
}

// Between tries: doubling from 50 ms, at most 2 s, so that a Redis with room again is written to soon.
const firstDelayMs = 50;
const maxDelayMs = 2000;

/**
 * Runs `write` until Redis takes it. For what must be recorded and must not be redone, such as the
 * outcome of a send: a Redis that refuses writes (full under `noeviction`, answering `OOM command not
 * allowed`, or failing over) is waited out, however long, rather than failing the job, which would
 * send again or make a dead letter of an alert that was delivered. Rejects with the last error
 * only when `stop` aborts.
 */
export async function untilWritten(
  write: () => Promise<unknown>,
  options: UntilWrittenOptions,
): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await write();
      return;
    } catch (error) {
      if (attempt === 0) options.onFailure?.(error);
      if (options.stop.aborted) throw error;
      const waited = await sleep(Math.min(maxDelayMs, firstDelayMs * 2 ** attempt), options.stop).then(
        () => true,
        () => false,
      );
      if (!waited) throw error;
    }
  }
}
