import { ConfigError } from '@pytake/notify-core';
import { Redis, type RedisOptions } from 'ioredis';

/** Where Redis is: a `redis://` URL or ioredis options (`{ host, port }`, `{ path }` for a Unix socket). */
export type RedisConnection = string | RedisOptions;

/** A new ioredis client for `connection`, with `overrides` on top. */
export function createRedisClient(connection: RedisConnection, overrides: RedisOptions = {}): Redis {
  if (typeof connection === 'string') return new Redis(connection, overrides);
  if (typeof connection !== 'object' || connection === null) {
    throw new ConfigError(`connection must be a redis:// URL or ioredis options, got ${typeof connection}`);
  }
  return new Redis({ ...connection, ...overrides });
}

/**
 * The key prefix in hash-tag form: every key of the queue shares one `{tag}`, so that the Lua scripts
 * and BullMQ's own multi-key scripts run on Redis Cluster. A prefix given without braces gets them.
 */
export function hashTagPrefix(prefix: string): string {
  if (typeof prefix !== 'string' || prefix.length === 0 || prefix.includes(':')) {
    throw new ConfigError(
      `prefix must be a non-empty string without ':', such as '{pytake-notify}', got '${String(prefix)}'`,
    );
  }
  return /^\{[^{}]+\}$/.test(prefix) ? prefix : `{${prefix.replace(/[{}]/g, '')}}`;
}

/** Waits until `client` is connected, at most `timeoutMs`; false when it is not. */
export async function whenReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === 'ready') return true;
  if (client.status === 'wait') client.connect().catch(() => {});
  if (client.status === 'end') return false;
  return new Promise<boolean>((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(timer);
      client.off('ready', onReady);
      client.off('end', onEnd);
      resolve(ok);
    };
    const onReady = () => done(true);
    const onEnd = () => done(false);
    const timer = setTimeout(() => done(client.status === 'ready'), timeoutMs);
    client.on('ready', onReady);
    client.on('end', onEnd);
  });
}
