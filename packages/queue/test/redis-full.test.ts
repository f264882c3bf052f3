import { createStaticDirectory, type DeliveryRecord } from '@pytake/notify-core';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  createDeliveryWorker,
  createNotificationQueue,
  type DeliveryWorker,
  type NotificationQueue,
} from '../src/index.js';
import { alertEvent, render, tenant, until } from '../src/testing/fixtures.js';
import { createHttpChannel } from '../src/testing/http-channel.js';
import { startRedis, type TestRedis } from '../src/testing/redis-server.js';
import { type Receiver, startReceiver } from '../src/testing/webhook-receiver.js';

// A Redis that refuses writes (maxmemory reached, noeviction) between a send and its record.
const room = '64mb';
let redis: TestRedis;
let admin: Redis;
let receiver: Receiver;
let queue: NotificationQueue;
let fillOnArrival = false;
const open: DeliveryWorker[] = [];

beforeAll(async () => {
  redis = await startRedis({ maxmemory: room, maxmemoryPolicy: 'noeviction' });
  admin = redis.client();
  // The receiver has the POST: Redis fills up before the worker hears the answer.
  receiver = await startReceiver({
    onArrival: async () => {
      if (!fillOnArrival) return;
      fillOnArrival = false;
      await admin.config('SET', 'maxmemory', '1');
    },
  });
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  await admin.config('SET', 'maxmemory', room);
  for (const worker of open.splice(0)) await worker.close({ timeoutMs: 1000 });
  await admin.flushall();
  receiver.received.length = 0;
});
afterAll(async () => {
  await queue?.close();
  await receiver?.close();
  await redis?.stop();
});

describe.each([
  { concurrency: 1, path: 'a delivery job' },
  { concurrency: 2, path: 'a single target delivered in its event job' },
])('a Redis full after the send, $path', ({ concurrency }) => {
  it('sends once, makes no dead letter, and records the outcome once Redis has room again', async () => {
    const records: DeliveryRecord[] = [];
    const errors: Error[] = [];
    const worker = createDeliveryWorker({
      connection: redis.connection,
      directory: createStaticDirectory([tenant(receiver.base, 1)]),
      routes: { slack: { channel: createHttpChannel(), render } },
      limits: { slack: false },
      concurrency,
      deliveryAttempts: 2,
      backoff: { baseDelayMs: 20, maxDelayMs: 100 },
      // Short: a claim left behind would let the alert go again within the test.
      claimTtlMs: 1000,
      onDelivery: (record) => records.push(record),
      onError: (error) => errors.push(error),
    });
    open.push(worker);
    await worker.ready();
    fillOnArrival = true;
    const { id } = await queue.enqueue(alertEvent(1));
    expect(await until(() => receiver.arrived() === 1, 10_000)).toBe(true);
    // The record was refused for want of memory, and the worker said so.
    expect(await until(() => errors.some((error) => error.message.includes('OOM')), 5000)).toBe(true);
    await admin.config('SET', 'maxmemory', room);

    const quiet = async () => {
      const counts = await queue.jobCounts();
      return [counts.events, counts['deliveries-slack']].every((c) => c.waiting + c.delayed + c.active === 0);
    };
    expect(await until(quiet, 30_000)).toBe(true);
    expect(receiver.accepted()).toHaveLength(1);
    expect(await queue.deadLetters.list()).toEqual([]);
    const status = await queue.status(id);
    expect(status?.targets.find((t) => t.route === 'slack')?.state).toBe('delivered');
    const stream = await admin.xrange('{pytake-notify}:records', '-', '+');
    const statuses = stream.map(([, fields]) => (JSON.parse(fields[1]!) as DeliveryRecord).status);
    expect(statuses.filter((s) => s === 'delivered')).toHaveLength(1);
  });
});
