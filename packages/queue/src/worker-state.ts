import type { RedisClient } from './redis-connection.js';

/**
 * Where a worker is in its life: `starting` (checking Redis, connecting), `running` (taking jobs),
 * `refused` (its Redis failed the start-up check; it takes no job), `closing`, `closed`.
 */
export type WorkerState = 'starting' | 'running' | 'refused' | 'closing' | 'closed';

/** What the health probes read of a worker, kept off its public object. */
export interface WorkerStateReader {
  state(): WorkerState;
  /** When a worker that is closing should have closed (epoch ms), or undefined. */
  closeDeadline(): number | undefined;
  /** The worker's own Redis client. */
  redis: RedisClient;
  /** Resolves once close() has finished. */
  whenClosed: Promise<void>;
}

const readers = new WeakMap<object, WorkerStateReader>();

export function registerWorkerState(worker: object, reader: WorkerStateReader): void {
  readers.set(worker, reader);
}

/** The state reader of a worker made by `createDeliveryWorker()`, or undefined for anything else. */
export function workerStateOf(worker: object): WorkerStateReader | undefined {
  return readers.get(worker);
}
