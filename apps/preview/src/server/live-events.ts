/** What the server pushes to browsers over server-sent events. */
export type LiveEvent =
  | { type: 'delivery'; data: unknown }
  | { type: 'outbox'; data: unknown }
  | { type: 'alert'; data: unknown }
  | { type: 'outbox-cleared'; data: null }
  // `pnpm demo`: the template sources changed and were loaded again (a TemplatesChange).
  | { type: 'templates-changed'; data: unknown };

export interface LiveEvents {
  publish(event: LiveEvent): void;
  subscribe(listener: (event: LiveEvent) => void): () => void;
  /** How many browsers listen now. */
  readonly size: number;
}

export function createLiveEvents(): LiveEvents {
  const listeners = new Set<(event: LiveEvent) => void>();
  return {
    publish(event) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // One closed browser tab must not stop the others from hearing about the delivery.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    get size() {
      return listeners.size;
    },
  };
}
