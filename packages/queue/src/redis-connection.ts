import { ConfigError } from '@pytake/notify-core';
import { Cluster, type ClusterNode, type ClusterOptions, Redis, type RedisOptions } from 'ioredis';

/** A Redis Cluster: some of its nodes (the others are discovered) and ioredis' cluster options. */
export interface RedisClusterConnection {
  cluster: ClusterNode[];
  options?: ClusterOptions;
}

/**
 * Where Redis is: a `redis://` URL, ioredis options (`{ host, port }`, `{ path }` for a Unix socket),
 * or `{ cluster: [{ host, port }, ...] }` for a Redis Cluster.
 */
export type RedisConnection = string | RedisOptions | RedisClusterConnection;

/** A client of one Redis or of a Redis Cluster: the package uses only what both have. */
export type RedisClient = Redis | Cluster;

const isClusterConnection = (connection: RedisConnection): connection is RedisClusterConnection =>
  typeof connection === 'object' && connection !== null && 'cluster' in connection;

/**
 * A new ioredis client for `connection`, with `overrides` on top. For a cluster, `overrides` go to
 * every node's connection, except `enableOfflineQueue` and `lazyConnect`, which ioredis' Cluster
 * takes for itself.
 */
export function createRedisClient(connection: RedisConnection, overrides: RedisOptions = {}): RedisClient {
  if (typeof connection === 'string') return new Redis(connection, overrides);
  if (typeof connection !== 'object' || connection === null) {
    throw new ConfigError(
      `connection must be a redis:// URL, ioredis options or { cluster: [...] }, got ${typeof connection}`,
    );
  }
  if (isClusterConnection(connection)) {
    if (!Array.isArray(connection.cluster) || connection.cluster.length === 0) {
      throw new ConfigError('connection.cluster must list at least one node, such as { host, port }');
    }
    const { enableOfflineQueue, lazyConnect, ...perNode } = overrides;
    const options = connection.options ?? {};
    return new Cluster(connection.cluster, {
      ...options,
      ...(enableOfflineQueue === undefined ? {} : { enableOfflineQueue }),
      ...(lazyConnect === undefined ? {} : { lazyConnect }),
      redisOptions: { ...options.redisOptions, ...perNode },
    });
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
export async function whenReady(client: RedisClient, timeoutMs: number): Promise<boolean> {
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
