/**
 * Remembers which deliveries already happened, so that the same event delivered twice (a service
 * retrying its own call, two workers picking the same job) reaches people once.
 *
 * A key is in one of three states: free, held by a delivery in flight, or delivered. The notifier
 * claims a key before sending, completes it after a success and releases it after a failure, so
 * that `duplicate` only ever means "already delivered" and a caller that finds a delivery in flight
 * can wait for its outcome instead of being told it is a duplicate.
 */
export interface IdempotencyStore {
  /**
   * Tries to take `key` for a delivery about to start. `claimed`: it is yours for `ttlMs` (the
   * claim expires by itself if this process dies). `in_flight`: another delivery holds it now.
   * `delivered`: it was completed before. Must be atomic across every process sharing the store
   * (on Redis: `SET key in_flight NX PX ttlMs`; when that fails, `GET key` answers `in_flight` or
   * `delivered`, the stored value being the answer). Any other answer fails the delivery with
   * `config` rather than sending it twice.
   */
  claim(key: string, ttlMs: number): Promise<ClaimResult>;
  /** Marks `key` delivered, remembered for `ttlMs`. */
  complete(key: string, ttlMs: number): Promise<void>;
  /**
   * Gives a claim back after a failed delivery, so that a later try may send it. Must not undo a
   * `delivered` mark (on Redis: delete only while the key still holds the in-flight value).
   */
  release(key: string): Promise<void>;
}

/** The answer of `IdempotencyStore.claim`: `claimed`, `in_flight` or `delivered`. */
export type ClaimResult = 'claimed' | 'in_flight' | 'delivered';

/** Options of `createMemoryIdempotencyStore`. */
export interface MemoryIdempotencyOptions {
  /** Oldest keys are dropped past this many. @default 100000 */
  maxKeys?: number;
  /** @default Date.now */
  now?: () => number;
}

/** The default store: in memory, with a TTL per key and a bound on the number of keys. */
export function createMemoryIdempotencyStore(options: MemoryIdempotencyOptions = {}): IdempotencyStore {
  const maxKeys = options.maxKeys ?? 100_000;
  const now = options.now ?? Date.now;
  // Map keeps insertion order, so the first entries are the oldest.
  const entries = new Map<string, { expiry: number; delivered: boolean }>();
  const set = (key: string, ttlMs: number, delivered: boolean) => {
    entries.delete(key);
    entries.set(key, { expiry: now() + ttlMs, delivered });
    while (entries.size > maxKeys) entries.delete(entries.keys().next().value as string);
  };
  return {
    async claim(key, ttlMs) {
      const entry = entries.get(key);
      if (entry !== undefined && entry.expiry > now()) return entry.delivered ? 'delivered' : 'in_flight';
      set(key, ttlMs, false);
      return 'claimed';
    },
    async complete(key, ttlMs) {
      set(key, ttlMs, true);
    },
    async release(key) {
      // Only a claim in flight is given back: a late release must not forget a delivery.
      if (entries.get(key)?.delivered === false) entries.delete(key);
    },
  };
}
