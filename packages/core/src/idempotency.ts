/**
 * Remembers which deliveries already happened, so that the same event delivered twice (a service
 * retrying its own call, two workers picking the same job) reaches people once.
 */
export interface IdempotencyStore {
  /** Claims `key` for `ttlMs`. False when it is already claimed: the delivery is a duplicate. */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /** Gives a claim back after a failed delivery, so that a later try may send it. */
  release(key: string): Promise<void>;
}

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
  // Map keeps insertion order, so the first entries are the oldest claims.
  const expiries = new Map<string, number>();
  return {
    async claim(key, ttlMs) {
      const t = now();
      const expiry = expiries.get(key);
      if (expiry !== undefined && expiry > t) return false;
      expiries.delete(key);
      expiries.set(key, t + ttlMs);
      while (expiries.size > maxKeys) expiries.delete(expiries.keys().next().value as string);
      return true;
    },
    async release(key) {
      expiries.delete(key);
    },
  };
}
