import { createStaticDirectory, isNotifyError } from '@pytake/notify-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker } from './delivery-worker.js';
import { render, tenant } from './testing/fixtures.js';
import { createHttpChannel } from './testing/http-channel.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';

let evicting: TestRedis;
let keeping: TestRedis;

beforeAll(async () => {
  [evicting, keeping] = await Promise.all([
    startRedis({ maxmemory: '64mb', maxmemoryPolicy: 'allkeys-lru' }),
    startRedis({ maxmemory: '64mb', maxmemoryPolicy: 'noeviction' }),
  ]);
});
afterAll(async () => {
  await evicting?.stop();
  await keeping?.stop();
});

const startWorker = (redis: TestRedis, errors: Error[]) =>
  createDeliveryWorker({
    connection: redis.connection,
    directory: createStaticDirectory([tenant('http://127.0.0.1:9', 1)]),
    routes: { slack: { channel: createHttpChannel(), render } },
    onError: (error) => errors.push(error),
  });

describe('createDeliveryWorker', () => {
  describe('ready()', () => {
    it('reports a maxmemory-policy that evicts keys through onError, once, with the fix', async () => {
      const errors: Error[] = [];
      const worker = startWorker(evicting, errors);
      try {
        await worker.ready();
        await worker.ready();
      } finally {
        await worker.close();
      }
      const reports = errors.filter((e) => e.message.includes('maxmemory-policy'));
      expect(reports).toHaveLength(1);
      expect(isNotifyError(reports[0]) && reports[0].code).toBe('config');
      expect(reports[0]!.message).toContain('allkeys-lru');
      expect(reports[0]!.message).toContain('maxmemory-policy noeviction');
    });

    it('reports nothing with noeviction', async () => {
      const errors: Error[] = [];
      const worker = startWorker(keeping, errors);
      try {
        await worker.ready();
      } finally {
        await worker.close();
      }
      expect(errors).toEqual([]);
    });
  });
});
