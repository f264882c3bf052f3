import type { LiveEvent, LiveEvents } from './live-events.js';

/** A live event with the number browsers resume from (`Last-Event-ID`). */
export interface NumberedEvent {
  id: number;
  event: LiveEvent;
}

export interface LiveReplay {
  /**
   * The events after `lastId`, oldest first. `complete` is false when some were already dropped from
   * the buffer (or `lastId` is from before a restart): the browser must then reload its state.
   */
  since(lastId: number | undefined): { events: NumberedEvent[]; complete: boolean };
  subscribe(listener: (event: NumberedEvent) => void): () => void;
  /** Registers how to end one open stream, for `disconnectAll`. Returns the unregister function. */
  onDisconnect(end: () => void): () => void;
  /** Ends every open stream; browsers reconnect and resume from their Last-Event-ID. */
  disconnectAll(): void;
  /** The id of the newest event, 0 before the first. */
  readonly latestId: number;
  /** How many streams are open (registered with `onDisconnect`). */
  readonly streams: number;
}

export const liveReplayDefaults = {
  /** Events kept for browsers that reconnect. @default 500 */
  size: 500,
} as const;

/**
 * Numbers every event of the app's one live channel and keeps the last `size` of them, so that a
 * browser that lost its connection gets exactly what it missed: nothing twice, nothing lost while
 * the buffer still holds it.
 */
export function createLiveReplay(live: LiveEvents, size: number = liveReplayDefaults.size): LiveReplay {
  const buffer: NumberedEvent[] = [];
  const listeners = new Set<(event: NumberedEvent) => void>();
  const enders = new Set<() => void>();
  let latestId = 0;
  live.subscribe((event) => {
    const numbered = { id: ++latestId, event };
    buffer.push(numbered);
    if (buffer.length > size) buffer.shift();
    for (const listener of listeners) {
      try {
        listener(numbered);
      } catch {
        // One closed browser tab must not stop the others from hearing about the event.
      }
    }
  });
  return {
    since(lastId) {
      if (lastId === undefined) return { events: [], complete: true };
      if (lastId > latestId) return { events: [], complete: false };
      const oldest = buffer[0]?.id ?? latestId + 1;
      const events = buffer.filter((e) => e.id > lastId);
      return { events, complete: lastId >= oldest - 1 };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    onDisconnect(end) {
      enders.add(end);
      return () => enders.delete(end);
    },
    disconnectAll() {
      for (const end of [...enders]) end();
    },
    get latestId() {
      return latestId;
    },
    get streams() {
      return enders.size;
    },
  };
}
