import { type NotifyError, toNotifyError } from './errors.js';
import { abortError } from './sleep.js';

export type BatchResult<R> = { ok: true; value: R } | { ok: false; error: NotifyError };

export interface BatchProgress {
  done: number;
  failed: number;
  total: number;
}

export interface BatchOptions {
  /** How many items are in flight at once. @default 5 */
  concurrency?: number;
  /** Items not started when it aborts fail with `aborted`; nothing new starts. */
  signal?: AbortSignal;
  /** Called after each item settles. */
  onProgress?: (progress: BatchProgress) => void;
}

/**
 * Runs `task` over `items` with bounded concurrency and returns one result per item, in input order.
 * Items are pulled from the iterable only when a worker is free, so a generator that renders messages
 * lazily keeps memory flat however long the batch is.
 */
export async function runBatch<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  task: (item: T, index: number) => Promise<R>,
  options: BatchOptions & { total?: number } = {},
): Promise<BatchResult<R>[]> {
  const concurrency = Math.max(1, Math.floor(options.concurrency ?? 5));
  const total = options.total ?? (Array.isArray(items) ? items.length : Number.NaN);
  const results: BatchResult<R>[] = [];
  const iterator =
    Symbol.asyncIterator in items
      ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
      : (items as Iterable<T>)[Symbol.iterator]();
  let next = 0;
  let done = 0;
  let failed = 0;

  const worker = async () => {
    for (;;) {
      const step = await iterator.next();
      if (step.done) return;
      const index = next++;
      let result: BatchResult<R>;
      if (options.signal?.aborted) {
        result = { ok: false, error: abortError(options.signal) };
      } else {
        try {
          result = { ok: true, value: await task(step.value, index) };
        } catch (error) {
          result = { ok: false, error: toNotifyError(error) };
        }
      }
      results[index] = result;
      done++;
      if (!result.ok) failed++;
      options.onProgress?.({ done, failed, total: Number.isNaN(total) ? next : total });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return results;
}
