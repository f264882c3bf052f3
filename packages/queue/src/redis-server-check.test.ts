import { createStaticDirectory, isNotifyError } from '@pytake/notify-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker } from './delivery-worker.js';
import { RedisVersionError } from './errors/redis-version-error.js';
import { parseRedisInfo, REDIS_MINIMUM_VERSION, redisVersionProblem } from './redis-server-check.js';
import { render, tenant } from './testing/fixtures.js';
import { createHttpChannel } from './testing/http-channel.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';

let evicting: TestRedis;
let volatile: TestRedis;
let durable: TestRedis;

beforeAll(async () => {
  [evicting, volatile, durable] = await Promise.all([
    startRedis({ maxmemory: '64mb', maxmemoryPolicy: 'allkeys-lru', aof: true }),
    // --appendonly no --save '': nothing on disk.
    startRedis({ maxmemory: '64mb', maxmemoryPolicy: 'noeviction' }),
    startRedis({ maxmemory: '64mb', maxmemoryPolicy: 'noeviction', aof: true }),
  ]);
});
afterAll(async () => {
  await evicting?.stop();
  await volatile?.stop();
  await durable?.stop();
});

const startWorker = (redis: TestRedis, errors: Error[]) =>
  createDeliveryWorker({
    connection: redis.connection,
    directory: createStaticDirectory([tenant('http://127.0.0.1:9', 1)]),
    routes: { slack: { channel: createHttpChannel(), render } },
    onError: (error) => errors.push(error),
  });

const readyAndClosed = async (redis: TestRedis) => {
  const errors: Error[] = [];
  const worker = startWorker(redis, errors);
  try {
    await worker.ready();
    await worker.ready();
  } finally {
    await worker.close();
  }
  return errors;
};

// The text of INFO as Redis writes it (CRLF line ends), with the fields the checks read.
const info = (fields: Record<string, string>) =>
  `# Server\r\n${Object.entries(fields)
    .map(([k, v]) => `${k}:${v}`)
    .join('\r\n')}\r\n`;

describe('redisVersionProblem()', () => {
  it('refuses a Redis older than the minimum, naming both versions', () => {
    const error = redisVersionProblem(info({ redis_version: '6.0.16', aof_enabled: '1' }));
    expect(error).toBeInstanceOf(RedisVersionError);
    expect(error).toMatchObject({ code: 'config', minimumVersion: '6.2.0', foundVersion: '6.0.16' });
    expect(error!.message).toContain('6.0.16');
    expect(error!.message).toContain('6.2.0');
    expect(isNotifyError(error)).toBe(true);
    expect(redisVersionProblem(info({ redis_version: '5.0.14' }))?.foundVersion).toBe('5.0.14');
  });

  it('accepts the minimum and anything newer', () => {
    expect(REDIS_MINIMUM_VERSION).toBe('6.2.0');
    for (const version of ['6.2.0', '6.2.14', '7.0.15', '7.4.1', '8.0.0', '10.0'])
      expect(redisVersionProblem(info({ redis_version: version }))).toBeUndefined();
  });

  it('refuses nothing when INFO names no version it can compare', () => {
    expect(redisVersionProblem(info({ aof_enabled: '0' }))).toBeUndefined();
    expect(redisVersionProblem(info({ redis_version: 'unknown' }))).toBeUndefined();
  });
});

describe('parseRedisInfo()', () => {
  it('reads the version, AOF and the eviction policy from any sections', () => {
    const text = `${info({ redis_version: '7.0.15' })}\r\n# Memory\r\nmaxmemory_policy:noeviction\r\n\r\n# Persistence\r\naof_enabled:0\r\n`;
    expect(parseRedisInfo(text)).toEqual({
      version: '7.0.15',
      aofEnabled: false,
      maxmemoryPolicy: 'noeviction',
    });
    expect(parseRedisInfo('')).toEqual({
      version: undefined,
      aofEnabled: undefined,
      maxmemoryPolicy: undefined,
    });
  });

  it('reads the version of a real redis-server, which passes', async () => {
    const client = durable.client();
    const text = await client.info();
    expect(parseRedisInfo(text).version).toMatch(/^\d+\.\d+\.\d+$/);
    expect(redisVersionProblem(text)).toBeUndefined();
    expect(parseRedisInfo(text).aofEnabled).toBe(true);
  });
});

describe('createDeliveryWorker', () => {
  describe('ready()', () => {
    it('reports a maxmemory-policy that evicts keys through onError, once, with the fix', async () => {
      const errors = await readyAndClosed(evicting);
      const reports = errors.filter((e) => e.message.includes('maxmemory-policy'));
      expect(reports).toHaveLength(1);
      expect(isNotifyError(reports[0]) && reports[0].code).toBe('config');
      expect(reports[0]!.message).toContain('allkeys-lru');
      expect(reports[0]!.message).toContain('maxmemory-policy noeviction');
    });

    it('warns once of a Redis without AOF or RDB save points, naming what a restart loses and the fix', async () => {
      const errors = await readyAndClosed(volatile);
      expect(errors).toHaveLength(1);
      expect(isNotifyError(errors[0]) && errors[0].code).toBe('config');
      expect(errors[0]!.message).toContain('restart of Redis loses every queued event');
      expect(errors[0]!.message).toContain('dead letters');
      expect(errors[0]!.message).toContain('appendonly yes');
    });

    it('warns of nothing with appendonly yes and noeviction', async () => {
      expect(await readyAndClosed(durable)).toEqual([]);
    });

    it('warns of nothing with redisChecks.persistence false', async () => {
      const errors: Error[] = [];
      const worker = createDeliveryWorker({
        connection: volatile.connection,
        directory: createStaticDirectory([tenant('http://127.0.0.1:9', 1)]),
        routes: { slack: { channel: createHttpChannel(), render } },
        redisChecks: { persistence: false },
        onError: (error) => errors.push(error),
      });
      try {
        await worker.ready();
      } finally {
        await worker.close();
      }
      expect(errors).toEqual([]);
    });
  });
});
