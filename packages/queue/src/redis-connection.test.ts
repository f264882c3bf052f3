import { ConfigError } from '@pytake/notify-core';
import { Cluster, Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { createRedisClient, hashTagPrefix } from './redis-connection.js';

describe('createRedisClient', () => {
  it('makes a Cluster client for { cluster }, with the overrides on every node but the offline queue', async () => {
    const client = createRedisClient(
      { cluster: [{ host: '127.0.0.1', port: 7000 }], options: { redisOptions: { username: 'u' } } },
      { maxRetriesPerRequest: null, enableOfflineQueue: false, lazyConnect: true },
    );
    expect(client).toBeInstanceOf(Cluster);
    const { options } = client as Cluster;
    expect(options).toMatchObject({ enableOfflineQueue: false, lazyConnect: true });
    expect(options.redisOptions).toEqual({ username: 'u', maxRetriesPerRequest: null });
    client.disconnect();
  });

  it('makes a plain client for a URL or options', () => {
    const client = createRedisClient({ path: '/nonexistent.sock', lazyConnect: true });
    expect(client).toBeInstanceOf(Redis);
    client.disconnect();
  });

  it('rejects a cluster without nodes, and what is not a connection, with a ConfigError', () => {
    expect(() => createRedisClient({ cluster: [] })).toThrow(ConfigError);
    expect(() => createRedisClient({ cluster: [] })).toThrow(
      /connection\.cluster must list at least one node/,
    );
    expect(() => createRedisClient(42 as never)).toThrow(/connection must be a redis:\/\/ URL/);
  });
});

describe('hashTagPrefix', () => {
  it('keeps a prefix in hash-tag form and wraps one without braces', () => {
    expect(hashTagPrefix('{pytake-notify}')).toBe('{pytake-notify}');
    expect(hashTagPrefix('tenant-a')).toBe('{tenant-a}');
  });
});
