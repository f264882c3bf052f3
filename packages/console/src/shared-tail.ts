import type { NumberedChange } from './api-types.js';

/** What the tail reads: the changes after `cursor`, and the cursor after them (the same when none). */
export type ReadChanges = (
  cursor: string | undefined,
) => Promise<{ changes: NumberedChange[]; cursor?: string }>;

/** One live client's share of the tail: the changes read after it joined, in order. */
export interface TailSubscription extends AsyncIterable<NumberedChange> {
  /** Where the tail was when the client joined: every change after it comes through here. */
  readonly from: string | undefined;
}

export interface SharedTailOptions {
  read: ReadChanges;
  /** Where a tail that starts begins: the log's newest id. */
  start: () => Promise<string | undefined>;
  pollMs: number;
  /**
   * Changes kept for a client that reads slower than they come; past it the client's subscription
   * ends, and its browser reconnects and catches up with its last id.
   */
  maxBuffered: number;
}

interface Subscriber {
  buffer: NumberedChange[];
  wake?: () => void;
  ended?: { error?: unknown };
}

/**
 * One reader of the change log for every live client of a source: a hundred open consoles read
 * Redis as one does and share each change, instead of each polling and fetching the same alerts.
 * It runs while at least one client is subscribed. A client that joins later with an older id
 * catches up with its own reads up to where the tail was when it joined (`from`), then takes the
 * tail's changes after that.
 */
export function createSharedTail(options: SharedTailOptions) {
  const subscribers = new Set<Subscriber>();
  let cursor: string | undefined;
  // Set while the tail runs: resolves once its position is fixed.
  let ready: Promise<void> | undefined;
  let idle: (() => void) | undefined;

  const end = (subscriber: Subscriber, error?: unknown) => {
    subscriber.ended = error === undefined ? {} : { error };
    subscribers.delete(subscriber);
    subscriber.wake?.();
  };

  async function run() {
    while (subscribers.size > 0) {
      let read: Awaited<ReturnType<ReadChanges>>;
      try {
        read = await options.read(cursor);
      } catch (error) {
        // Redis did not answer: every client's channel ends with the error, and browsers reconnect.
        for (const subscriber of [...subscribers]) end(subscriber, error);
        break;
      }
      cursor = read.cursor ?? cursor;
      for (const subscriber of subscribers) {
        if (subscriber.buffer.length + read.changes.length > options.maxBuffered) {
          end(subscriber);
          continue;
        }
        subscriber.buffer.push(...read.changes);
        subscriber.wake?.();
      }
      if (read.changes.length === 0 && subscribers.size > 0)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, options.pollMs);
          idle = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      idle = undefined;
    }
    ready = undefined;
  }

  return {
    /** Joins the tail (starting it if it is not running); ends when `signal` aborts. */
    async subscribe(signal: AbortSignal): Promise<TailSubscription> {
      const subscriber: Subscriber = { buffer: [] };
      subscribers.add(subscriber);
      // The first client starts the tail at the log's newest id: a change written after that reaches
      // every client that joined.
      ready ??= options.start().then((newest) => {
        cursor = newest;
        void run();
      });
      try {
        await ready;
      } catch (error) {
        subscribers.delete(subscriber);
        ready = undefined;
        throw error;
      }
      const from = cursor;
      const leave = () => {
        end(subscriber);
        if (subscribers.size === 0) idle?.();
      };
      signal.addEventListener('abort', leave, { once: true });
      if (signal.aborted) leave();
      return {
        from,
        async *[Symbol.asyncIterator]() {
          try {
            while (true) {
              const next = subscriber.buffer.shift();
              if (next) {
                yield next;
                continue;
              }
              if (subscriber.ended) {
                if (subscriber.ended.error !== undefined) throw subscriber.ended.error;
                return;
              }
              await new Promise<void>((resolve) => {
                subscriber.wake = resolve;
              });
              subscriber.wake = undefined;
            }
          } finally {
            signal.removeEventListener('abort', leave);
            leave();
          }
        },
      };
    },
    /** Clients subscribed now. */
    get size() {
      return subscribers.size;
    },
  };
}
