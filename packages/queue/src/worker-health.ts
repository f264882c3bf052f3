import { NotifyError } from '@pytake/notify-core';
import type { DeliveryWorker } from './delivery-worker.js';
import { type WorkerState, workerStateOf } from './worker-state.js';

/** One probe's answer: `ok`, and when not, why, as a word (no address, no secret). */
export interface HealthAnswer {
  ok: boolean;
  /** The worker's state. */
  state: WorkerState;
  /** Why it is not ok: `stuck_closing`, `starting`, `refused`, `closing`, `closed`, `redis_unreachable`, `redis_timeout`. */
  reason?: string;
}

/** How `workerHealth()` asks Redis for readiness. */
export interface WorkerHealthOptions {
  /** How long readiness waits for Redis's answer to PING. @default 1000 */
  pingTimeoutMs?: number;
}

/** A worker's probes for an orchestrator: liveness without Redis, readiness with it. */
export interface WorkerHealth {
  /**
   * Liveness: answers without Redis. Not ok only when the worker is stuck closing (still closing
   * past `timeoutMs` + `sendTimeoutMs` of its `close()`); a process whose event loop is blocked
   * cannot answer at all, which the orchestrator's probe timeout catches.
   */
  live(): HealthAnswer;
  /** Readiness: the worker is running (started, not closing) and Redis answers PING in time. */
  ready(): Promise<HealthAnswer>;
}

/** The defaults of {@link WorkerHealthOptions}. */
export const workerHealthDefaults = {
  /** @default 1000 */
  pingTimeoutMs: 1000,
} as const;

/**
 * Liveness and readiness of a worker, for an orchestrator's probes. Liveness never looks at Redis:
 * every replica shares one Redis, so a liveness probe that failed with it would have every worker
 * restarted at once during a Redis outage, which restarts nothing that helps and drops the drains in
 * progress. Readiness does: a worker that cannot reach Redis delivers nothing.
 */
export function workerHealth(worker: DeliveryWorker, options: WorkerHealthOptions = {}): WorkerHealth {
  const reader = workerStateOf(worker);
  if (!reader)
    throw new NotifyError('workerHealth() takes a worker made by createDeliveryWorker()', { code: 'config' });
  const pingTimeoutMs = options.pingTimeoutMs ?? workerHealthDefaults.pingTimeoutMs;
  if (!Number.isFinite(pingTimeoutMs) || pingTimeoutMs <= 0)
    throw new NotifyError(`pingTimeoutMs must be a number of milliseconds above 0, got ${pingTimeoutMs}`, {
      code: 'config',
    });
  return {
    live() {
      const state = reader.state();
      const deadline = reader.closeDeadline();
      if (state === 'closing' && deadline !== undefined && Date.now() > deadline)
        return { ok: false, state, reason: 'stuck_closing' };
      return { ok: true, state };
    },
    async ready() {
      const state = reader.state();
      if (state !== 'running') return { ok: false, state, reason: state };
      // No PING into the offline queue while the client is reconnecting: it would wait for Redis.
      if (reader.redis.status !== 'ready') return { ok: false, state, reason: 'redis_unreachable' };
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => {
        timer = setTimeout(() => resolve('late'), pingTimeoutMs);
      });
      try {
        const answer = await Promise.race([reader.redis.ping().catch(() => 'error'), late]);
        if (answer === 'late') return { ok: false, state, reason: 'redis_timeout' };
        if (answer !== 'PONG') return { ok: false, state, reason: 'redis_unreachable' };
      } finally {
        clearTimeout(timer);
      }
      // The worker may have started closing while Redis answered.
      const now = reader.state();
      return now === 'running' ? { ok: true, state: now } : { ok: false, state: now, reason: now };
    },
  };
}
