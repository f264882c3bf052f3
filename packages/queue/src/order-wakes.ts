/**
 * Wakes a delivery waiting in this process for the one before it in its alert's conversation: when
 * a worker writes a final outcome, Redis names the next delivery of that conversation, and if it
 * waits here it goes on at once, without a round trip through BullMQ's delayed set. Only a
 * shortcut: a delivery that waits elsewhere is promoted in Redis, and any delivery checks its
 * conversation again before it goes.
 */
export function createOrderWakes() {
  const waiting = new Map<string, () => void>();
  return {
    /** Resolves true when `jobId` is woken within `ms`, false otherwise (or once `signal` aborts). */
    wait(jobId: string, ms: number, signal: AbortSignal): Promise<boolean> {
      if (ms <= 0 || signal.aborted) return Promise.resolve(false);
      return new Promise<boolean>((resolve) => {
        const done = (woken: boolean) => {
          clearTimeout(timer);
          signal.removeEventListener('abort', stop);
          if (waiting.get(jobId) === wake) waiting.delete(jobId);
          resolve(woken);
        };
        const wake = () => done(true);
        const stop = () => done(false);
        const timer = setTimeout(stop, ms);
        signal.addEventListener('abort', stop, { once: true });
        waiting.set(jobId, wake);
      });
    },
    /** Wakes `jobId` if it waits in this process; false when it does not. */
    wake(jobId: string): boolean {
      const wake = waiting.get(jobId);
      wake?.();
      return wake !== undefined;
    },
  };
}
export type OrderWakes = ReturnType<typeof createOrderWakes>;
