import { ConfigError, type NotifyError, toNotifyError } from './errors.js';
import { abortError } from './sleep.js';

/** The outcome of one item of `runBatch`: its value, or the NotifyError it failed with. */
export type BatchResult<R> = { ok: true; value: R } | { ok: false; error: NotifyError };

/** How far a batch has got, as passed to `onProgress`. */
export interface BatchProgress {
  done: number;
  failed: number;
  /** The number of items when known (an array, or `total`); otherwise the number pulled so far. */
  total: number;
}

/** Options of `runBatch` and of the channels' `sendBatch`. */
export interface BatchOptions {
  /** How many items are in flight at once: a number of at least 1 (a fraction is rounded down). @default 5 */
  concurrency?: number;
  /**
   * Nothing new starts once it aborts. Items already pulled but not started fail with `aborted`, and
   * so does every remaining item of an array; an iterable is not pulled any further, so that a lazy
   * generator does not render messages that will never be sent.
   */
  signal?: AbortSignal;
  /** Called after each item settles. Errors thrown here are ignored. */
  onProgress?: (progress: BatchProgress) => void;
}

/** The defaults of {@link BatchOptions}. */
export const batchDefaults = { concurrency: 5 } as const;

/**
 * Runs `task` over `items` with bounded concurrency and returns one result per item, in input order.
 * Items are pulled from the iterable only when a worker is free, so a generator that renders messages
 * lazily keeps memory flat however long the batch is. A task that throws gives a failed result; only
 * an iterable that throws makes `runBatch` reject (after the items in flight settle).
 * @throws ConfigError when `concurrency` is not a finite number of at least 1 (NaN would otherwise
 * start no worker and return no results: nothing sent, nothing reported).
 */
export async function runBatch<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  task: (item: T, index: number) => Promise<R>,
  options: BatchOptions & { total?: number } = {},
): Promise<BatchResult<R>[]> {
  const requested = options.concurrency ?? batchDefaults.concurrency;
  if (typeof requested !== 'number' || !Number.isFinite(requested) || requested < 1) {
    throw new ConfigError('Invalid batch options', [
      { path: 'concurrency', message: `expected a finite number of at least 1, got ${String(requested)}` },
    ]);
  }
  const concurrency = Math.floor(requested);
  const { signal } = options;
  const known = options.total ?? (Array.isArray(items) ? items.length : undefined);
  const results: BatchResult<R>[] = [];
  const iterator =
    Symbol.asyncIterator in items
      ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
      : (items as Iterable<T>)[Symbol.iterator]();
  let pulled = 0;
  let done = 0;
  let failed = 0;
  let finished = false;
  let iterationError: { error: unknown } | undefined;

  const settle = (index: number, result: BatchResult<R>) => {
    results[index] = result;
    done++;
    if (!result.ok) failed++;
    try {
      options.onProgress?.({ done, failed, total: known ?? pulled });
    } catch {
      // A broken progress bar must not reject the batch: the other workers would go on sending
      // with nobody collecting their results, and the caller would retry messages already sent.
    }
  };

  const worker = async () => {
    while (!finished && !signal?.aborted) {
      // The index is taken before awaiting, so that results follow the order of the iterable even
      // when an async iterator answers concurrent next() calls out of order.
      const index = pulled++;
      let step: IteratorResult<T>;
      try {
        step = await iterator.next();
      } catch (error) {
        pulled--;
        finished = true;
        iterationError ??= { error };
        return;
      }
      if (step.done) {
        pulled--;
        finished = true;
        return;
      }
      if (signal?.aborted) {
        settle(index, { ok: false, error: abortError(signal) });
        return;
      }
      let result: BatchResult<R>;
      try {
        result = { ok: true, value: await task(step.value, index) };
      } catch (error) {
        result = { ok: false, error: toNotifyError(error) };
      }
      settle(index, result);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));

  if (signal?.aborted) {
    if (!finished) await iterator.return?.();
    // An array's remaining items are known without pulling them: report each as aborted.
    if (Array.isArray(items)) {
      for (let index = pulled; index < items.length; index++)
        settle(index, { ok: false, error: abortError(signal) });
    }
  }
  if (iterationError) throw iterationError.error;
  return results;
}
