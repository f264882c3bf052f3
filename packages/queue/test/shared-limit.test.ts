import type { ChildProcess } from 'node:child_process';
import type { DeliveryRecord } from '@pytake/notify-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationQueue, type NotificationQueue } from '../src/index.js';
import { alertEvent, tenant, until } from './fixtures.js';
import { exitOf, startWorkerProcess } from './processes.js';
import { startRedis, type TestRedis } from './redis-server.js';
import { type Receiver, startReceiver } from './webhook-receiver.js';

let redis: TestRedis;
let queue: NotificationQueue;
let receiver: Receiver | undefined;
const children: ChildProcess[] = [];
const limit = { perSecond: 3, burst: 3 };

beforeAll(async () => {
  redis = await startRedis();
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await exitOf(child);
  }
  await receiver?.close();
  await redis.client().flushall();
});
afterAll(async () => {
  await queue?.close();
  await redis?.stop();
});

const fourWorkers = (base: string) =>
  Promise.all(
    [1, 2, 3, 4].map(async () => {
      const child = await startWorkerProcess({
        redisPath: redis.connection.path,
        tenants: [tenant(base, 1)],
        options: { limits: { slack: limit }, concurrency: 4, backoff: { baseDelayMs: 50, maxDelayMs: 200 } },
      });
      children.push(child);
    }),
  );

const records = async () =>
  (await redis.client().xrange('{pytake-notify}:records', '-', '+')).map(
    ([, fields]) => JSON.parse(fields[1]!) as DeliveryRecord,
  );

describe('one rate limit per webhook, shared by four worker processes', () => {
  it('keeps every 1-second window at the receiver within burst + rate, 0 lost', async () => {
    receiver = await startReceiver();
    await fourWorkers(receiver.base);
    const deliveries = 30;
    for (let n = 1; n <= deliveries; n++) await queue.enqueue(alertEvent(n));
    expect(await until(() => receiver!.accepted().length === deliveries, 60_000)).toBe(true);
    const times = receiver.accepted().map((r) => r.at);
    // Sliding windows: from each request, the requests of the next 1,000 ms.
    const worst = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 1000).length));
    const steady = times.slice(limit.burst);
    const meanRate = (steady.length - 1) / ((steady.at(-1)! - steady[0]!) / 1000);
    console.log(
      `shared limit 3/s burst 3, 4 workers: worst 1-s window ${worst}, mean steady rate ${meanRate.toFixed(2)}/s`,
    );
    expect(worst).toBeLessThanOrEqual(limit.burst + limit.perSecond);
    expect(new Set(receiver.accepted().map((r) => r.key)).size).toBe(deliveries);
  }, 120_000);

  it('recovers through the shared hold when the receiver allows less, spending no attempt on 429s', async () => {
    receiver = await startReceiver({ limit: { perSecond: 2, burst: 1 } });
    await fourWorkers(receiver.base);
    const deliveries = 16;
    for (let n = 1; n <= deliveries; n++) await queue.enqueue(alertEvent(n));
    expect(await until(() => receiver!.accepted().length === deliveries, 90_000)).toBe(true);
    expect(
      await until(
        async () => (await records()).filter((r) => r.status === 'delivered').length === deliveries,
        10_000,
      ),
    ).toBe(true);
    const rejected = receiver.received.filter((r) => r.status === 429).length;
    console.log(
      `receiver at 2/s burst 1 under our 3/s burst 3: ${rejected} answers 429 for ${deliveries} deliveries`,
    );
    expect(rejected).toBeGreaterThan(0);
    const delivered = (await records()).filter((r) => r.status === 'delivered');
    expect(delivered.map((r) => r.attempts)).toEqual(Array(deliveries).fill(1));
    expect(new Set(receiver.accepted().map((r) => r.key)).size).toBe(deliveries);
    expect(await queue.deadLetters.list()).toEqual([]);
  }, 150_000);
});
