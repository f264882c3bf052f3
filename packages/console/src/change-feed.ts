import type { LiveChange, NumberedChange } from './api-types.js';

export interface ChangeFeedOptions {
  /** Changes kept for clients that reconnect. */
  replaySize: number;
  /** Changes one slow client may have waiting before it gets a `reset` instead of them. */
  maxPending: number;
}

export interface ChangeFeed {
  publish(change: LiveChange): void;
  changes(after: string | undefined, signal: AbortSignal): AsyncIterable<NumberedChange>;
  /** Open `changes` iterations, for tests and metrics. */
  readonly listeners: number;
}

/**
 * Numbers every change of one process and keeps the last `replaySize`, so that a client that lost
 * its connection gets exactly what it missed: nothing twice, nothing lost while the buffer holds it.
 * Ids carry a random epoch: an id from before a restart is not mistaken for one of this process.
 */
export function createChangeFeed({ replaySize, maxPending }: ChangeFeedOptions): ChangeFeed {
  const epoch = Math.random().toString(36).slice(2, 10);
  const buffer: NumberedChange[] = [];
  const listeners = new Set<(change: NumberedChange) => void>();
  let latest = 0;
  const idOf = (seq: number) => `${epoch}.${seq}`;
  const reset = (): NumberedChange => ({ id: idOf(latest), change: { type: 'reset' } });

  const replay = (after: string | undefined): NumberedChange[] => {
    if (after === undefined) return [];
    const [afterEpoch, raw] = after.split('.');
    const seq = Number(raw);
    if (afterEpoch !== epoch || !Number.isSafeInteger(seq) || seq < 0 || seq > latest) return [reset()];
    const oldest = buffer[0] ? Number(buffer[0].id.split('.')[1]) : latest + 1;
    if (seq < oldest - 1) return [reset()];
    return buffer.filter((c) => Number(c.id.split('.')[1]) > seq);
  };

  return {
    publish(change) {
      const numbered = { id: idOf(++latest), change };
      buffer.push(numbered);
      if (buffer.length > replaySize) buffer.shift();
      for (const listener of listeners) listener(numbered);
    },
    async *changes(after, signal) {
      const pending: NumberedChange[] = [];
      let overflowed = false;
      let wake: (() => void) | undefined;
      const listener = (change: NumberedChange) => {
        // A client that does not keep up would hold every change in memory: it gets a reset instead,
        // whose id (taken when it is read) covers what it was not given.
        if (overflowed) return;
        if (pending.length >= maxPending) {
          overflowed = true;
          pending.length = 0;
        } else pending.push(change);
        wake?.();
      };
      const onAbort = () => wake?.();
      // The replay is read and the listener added in the same tick, so no change falls between them.
      const missed = replay(after);
      listeners.add(listener);
      signal.addEventListener('abort', onAbort);
      try {
        for (const change of missed) {
          if (signal.aborted) return;
          yield change;
        }
        while (!signal.aborted) {
          if (overflowed) {
            overflowed = false;
            yield reset();
            continue;
          }
          const next = pending.shift();
          if (next) {
            yield next;
            continue;
          }
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = undefined;
        }
      } finally {
        listeners.delete(listener);
        signal.removeEventListener('abort', onAbort);
      }
    },
    get listeners() {
      return listeners.size;
    },
  };
}
