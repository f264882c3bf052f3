import { createStaticDirectory } from '@pytake/notify-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker, createNotificationQueue } from '../src/index.js';
import { alertEvent, ceiling, render, tenant, until } from '../src/testing/fixtures.js';
import { createHttpChannel } from '../src/testing/http-channel.js';
import { startRedis, type TestRedis } from '../src/testing/redis-server.js';
import { type Receiver, startReceiver } from '../src/testing/webhook-receiver.js';

let redis: TestRedis;
let receiver: Receiver;
beforeAll(async () => {
  redis = await startRedis();
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await redis?.stop();
});

const usedMemory = async () => {
  const info = await redis.client().info('memory');
  return Number(/used_memory:(\d+)/.exec(info)![1]);
};

// What stays in Redis per delivery once it is done: its sent marker (sentTtlMs), its status entry
// (statusTtlMs), its share of the records stream (bounded by streamMaxLen, 10,000 here: one record per
// delivery), of its event's dedup key and of its alert's entry in the index of recent alerts (a
// summary hash and two sorted-set members per alert, about 1.2 KB, so about 250 B per delivery at
// five targets per alert; 2,000 B per delivery were measured without the index); finished jobs are
// bounded by keepCompleted per queue.
const BUDGET_BYTES_PER_DELIVERY = 2560;

describe('Redis memory per delivery', () => {
  it(
    `stays under ${BUDGET_BYTES_PER_DELIVERY} bytes over 10,000 deliveries`,
    async () => {
      const webhooks = 5;
      const events = 2000;
      const total = events * webhooks;
      const queue = createNotificationQueue({ connection: redis.connection });
      const worker = createDeliveryWorker({
        connection: redis.connection,
        directory: createStaticDirectory([tenant(receiver.base, webhooks)]),
        routes: { slack: { channel: createHttpChannel(), render } },
        limits: { slack: false },
        concurrency: 32,
      });
      await worker.ready();
      const before = await usedMemory();
      const started = Date.now();
      for (let start = 1; start <= events; start += 200) {
        await Promise.all(Array.from({ length: 200 }, (_, i) => queue.enqueue(alertEvent(start + i))));
      }
      expect(await until(() => receiver.accepted().length >= total, 300_000, 200)).toBe(true);
      // The last records and statuses are written just after the last send.
      expect(
        await until(
          async () => (await redis.client().xlen('{pytake-notify}:records')) >= total * 0.99,
          30_000,
          200,
        ),
      ).toBe(true);
      const seconds = (Date.now() - started) / 1000;
      await worker.close();
      await queue.close();
      const perDelivery = ((await usedMemory()) - before) / total;
      console.log(
        `Redis memory: ${Math.round(perDelivery)} bytes per delivery over ${total} deliveries (${(total / seconds).toFixed(0)} deliveries/s in one process)`,
      );
      expect(new Set(receiver.accepted().map((r) => r.key)).size).toBe(total);
      expect(perDelivery).toBeLessThan(BUDGET_BYTES_PER_DELIVERY);
    },
    ceiling(400_000),
  );
});
