import type { ChildProcess } from 'node:child_process';
import { createStaticDirectory, type DeliveryRecord } from '@pytake/notify-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker, createNotificationQueue, QueueUnavailableError } from '../src/index.js';
import { alertEvent, ceiling, render, tenant, until } from '../src/testing/fixtures.js';
import { createHttpChannel } from '../src/testing/http-channel.js';
import { exitOf, startWorkerProcess } from '../src/testing/processes.js';
import { startRedis, type TestRedis } from '../src/testing/redis-server.js';
import { type Receiver, startReceiver } from '../src/testing/webhook-receiver.js';

let redis: TestRedis;
let receiver: Receiver;
const children: ChildProcess[] = [];
beforeAll(async () => {
  redis = await startRedis({ aof: true });
  receiver = await startReceiver({ latencyMs: 5 });
});
afterAll(async () => {
  for (const child of children) {
    child.kill('SIGKILL');
    await exitOf(child);
  }
  await receiver?.close();
  await redis?.stop();
});

const perKey = () => {
  const counts = new Map<string, number>();
  for (const r of receiver.accepted()) counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
  return counts;
};

describe('redis-server killed with -9 (AOF, appendfsync always) and restarted on its data', () => {
  it(
    'loses no enqueued event, and a run through an outage delivers everything',
    async () => {
      const queue = createNotificationQueue({ connection: redis.connection, connectTimeoutMs: 500 });
      const events = 200;
      for (let n = 1; n <= events; n++) await queue.enqueue(alertEvent(n));
      await redis.kill();
      // While Redis is down, enqueue() fails fast with a typed error instead of hanging.
      const started = Date.now();
      const down = await queue.enqueue(alertEvent(events + 1)).catch((e) => e);
      expect(down).toBeInstanceOf(QueueUnavailableError);
      expect(Date.now() - started).toBeLessThan(15_000);
      await redis.restart();
      expect(await redis.client().llen('{pytake-notify}:events:wait')).toBe(events);

      const worker = await startWorkerProcess({
        redisPath: redis.connection.path,
        tenants: [tenant(receiver.base, 2)],
        options: {
          limits: { slack: false },
          concurrency: 8,
          // Through ceiling(), as in worker-crash.test.ts: a live worker's lock must outlast a loaded machine.
          lockDurationMs: ceiling(3000),
          stalledIntervalMs: ceiling(1000),
          claimTtlMs: ceiling(3000),
        },
      });
      children.push(worker);
      const total = events * 2;
      expect(await until(() => receiver.accepted().length >= total / 4, 60_000)).toBe(true);
      await redis.kill();
      const atKill = receiver.accepted().length;
      await new Promise((r) => setTimeout(r, 1000));
      await redis.restart();
      expect(await until(() => perKey().size === total, 120_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 4000));
      const duplicates = receiver.accepted().length - perKey().size;
      console.log(
        `Redis kill -9 mid-run: ${total} deliveries, ${atKill} before the kill, ${duplicates} duplicates`,
      );
      // Only sends in flight when Redis died may go twice: at most the worker's concurrency.
      expect(duplicates).toBeLessThanOrEqual(8);
      expect(await queue.deadLetters.list()).toEqual([]);
      await queue.close();
      worker.kill('SIGTERM');
      expect(await exitOf(worker)).toBe(0);
    },
    ceiling(240_000),
  );
});

describe('a directory outage', () => {
  it('is retried with backoff; nothing is lost', async () => {
    receiver.received.length = 0;
    const base = createStaticDirectory([tenant(receiver.base, 1, 'org-dir')]);
    let outage = 6;
    const records: DeliveryRecord[] = [];
    const worker = createDeliveryWorker({
      connection: redis.connection,
      directory: {
        get: async (id) => {
          if (outage-- > 0) throw new Error('directory database unreachable');
          return base.get(id);
        },
      },
      routes: { slack: { channel: createHttpChannel(), render } },
      backoff: { baseDelayMs: 20, maxDelayMs: 100 },
      limits: { slack: false },
      onDelivery: (r) => records.push(r),
    });
    const queue = createNotificationQueue({ connection: redis.connection });
    for (let n = 1; n <= 3; n++) await queue.enqueue(alertEvent(n, 'org-dir'));
    expect(await until(() => records.filter((r) => r.status === 'delivered').length === 3, 30_000)).toBe(
      true,
    );
    expect(records.filter((r) => r.status === 'failed')).toEqual([]);
    expect(outage).toBeLessThan(0);
    await worker.close();
    await queue.close();
  });
});
