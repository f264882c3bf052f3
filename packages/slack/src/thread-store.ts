/**
 * Where the `ts` of each alert's parent message lives, keyed by `{channel}:{alertId}`. Services
 * back it with their database so that threads survive restarts.
 */
export interface ThreadStore {
  /** The `ts` of the parent message stored under `key`, or `undefined` when there is none yet. */
  get(key: string): Promise<string | undefined> | string | undefined;
  /** Stores the `ts` of the parent message under `key`. */
  set(key: string, ts: string): Promise<void> | void;
}

/** An in-memory ThreadStore: fine for one process; threads restart after a restart. */
export function createMemoryThreadStore(): ThreadStore {
  const map = new Map<string, string>();
  return { get: (key) => map.get(key), set: (key, ts) => void map.set(key, ts) };
}
