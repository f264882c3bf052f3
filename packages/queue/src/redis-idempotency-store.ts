import type { ClaimResult, IdempotencyStore } from '@pytake/notify-core';
import { runScript } from './commands/index.js';
import { queueDefaults } from './defaults.js';
import { queueKeys } from './queue-keys.js';
import {
  createRedisClient,
  hashTagPrefix,
  type RedisClient,
  type RedisConnection,
} from './redis-connection.js';

/** Options of `createRedisIdempotencyStore`. */
export interface RedisIdempotencyOptions {
  /** Where Redis is (see `RedisConnection`), or an ioredis client or Cluster to share (not closed by `close()`). */
  connection: RedisConnection | RedisClient;
  /** @default `'{pytake-notify}'` */
  prefix?: string;
}

/** Core's `IdempotencyStore` in Redis, shared by every process: `notify()` in N instances sends once. */
export interface RedisIdempotencyStore extends IdempotencyStore {
  /** The key's state without changing it: `free`, `in_flight` or `delivered` (the sent marker). */
  peek(key: string): Promise<'free' | 'in_flight' | 'delivered'>;
  /** Closes the client this store made (not one passed in). */
  close(): Promise<void>;
}

const isClient = (value: unknown): value is RedisClient =>
  typeof value === 'object' && value !== null && typeof (value as RedisClient).defineCommand === 'function';

/**
 * Creates the Redis-backed store. Keys are `{prefix}:idem:<sha-256 of the key>`: the caller's key
 * never reaches Redis, so neither does anything in it, and every key has the same short length.
 */
export function createRedisIdempotencyStore(options: RedisIdempotencyOptions): RedisIdempotencyStore {
  const prefix = hashTagPrefix(options.prefix ?? queueDefaults.prefix);
  const owned = !isClient(options.connection);
  const redis = isClient(options.connection) ? options.connection : createRedisClient(options.connection);
  const redisKey = queueKeys(prefix).idempotency;
  const ttl = (ms: number) => Math.max(1, Math.ceil(ms));
  return {
    async claim(key, ttlMs) {
      return (await runScript(redis, 'claim', [redisKey(key)], [ttl(ttlMs)])) as ClaimResult;
    },
    async complete(key, ttlMs) {
      await redis.set(redisKey(key), 'delivered', 'PX', ttl(ttlMs));
    },
    async release(key) {
      await runScript(redis, 'release', [redisKey(key)], []);
    },
    async peek(key) {
      const value = await redis.get(redisKey(key));
      return value === 'delivered' || value === 'in_flight' ? value : 'free';
    },
    async close() {
      if (owned) await redis.quit().catch(() => redis.disconnect());
    },
  };
}
