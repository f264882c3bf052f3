/** What the server says first on every (re)connection of the live channel. */
export interface LiveHello {
  latestId: number;
  /** False when the server no longer holds what this browser missed (or restarted). */
  complete: boolean;
}

export interface LiveCursor {
  /** On `hello`: whether the page must reload its state from the API instead of trusting the replay. */
  hello(hello: LiveHello): 'reload' | 'resume';
  /** True the first time an event id is seen; false for a repeat or an older one. */
  accept(id: number): boolean;
  readonly lastId: number;
}

/**
 * Keeps the id of the last live event applied, so that a replay after a reconnect never applies
 * an event twice. The first connection always reloads: events between the page's first API
 * requests and the stream's start would otherwise be lost.
 */
export function createLiveCursor(): LiveCursor {
  let lastId = 0;
  let connected = false;
  return {
    hello({ latestId, complete }) {
      const first = !connected;
      connected = true;
      if (first || !complete) {
        // The reload covers everything up to latestId; replayed events up to it are not applied.
        lastId = latestId;
        return 'reload';
      }
      return 'resume';
    },
    accept(id) {
      if (!Number.isFinite(id) || id <= lastId) return false;
      lastId = id;
      return true;
    },
    get lastId() {
      return lastId;
    },
  };
}
