import {
  type Channel,
  createStaticDirectory,
  type DeliveryRecord,
  type EmailDelivery,
} from '@pytake/notify-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker, type RateLimitEvent } from './delivery-worker.js';
import { queueNames } from './job-ids.js';
import { createNotificationQueue, type NotificationQueue } from './notification-queue.js';
import { alertEvent, ceiling, until } from './testing/fixtures.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';

let redis: TestRedis;
let queue: NotificationQueue;
const open: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  redis = await startRedis();
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
  await redis.client().flushall();
});
afterAll(async () => {
  await queue?.close();
  await redis?.stop();
});

const email: Channel<EmailDelivery> = {
  kind: 'email',
  async send() {
    return { attempts: 1, durationMs: 1 };
  },
};
// 10 per second, no burst: the second and third delivery to the one target wait 100 and 200 ms.
const limit = { perSecond: 10, burst: 1 };

/** Delivers three events to one target; returns the rate-limit events and how often a job was delayed. */
async function run(shortWaitMs: number) {
  const rateLimits: RateLimitEvent[] = [];
  const records: DeliveryRecord[] = [];
  open.push(
    createDeliveryWorker({
      connection: redis.connection,
      directory: createStaticDirectory([
        { organizationId: 'org-1', email: { to: ['oncall@tenant.example'] } },
      ]),
      routes: { email: { channel: email, render: () => ({ subject: 's', html: '<p>alert</p>' }) } },
      limits: { email: limit },
      shortWaitMs,
      onRateLimit: (event) => rateLimits.push(event),
      onDelivery: (record) => records.push(record),
    }),
  );
  for (const n of [1, 2, 3]) await queue.enqueue(alertEvent(n));
  expect(await until(() => records.length === 3, 10_000)).toBe(true);
  expect(records.map((r) => r.status)).toEqual(['delivered', 'delivered', 'delivered']);
  // BullMQ's own event stream of the queue: one 'delayed' entry per move to the delayed set.
  const events = await redis.client().xrange(`{pytake-notify}:${queueNames.email}:events`, '-', '+');
  const delayed = events.filter(([, fields]) => fields[fields.indexOf('event') + 1] === 'delayed').length;
  return { rateLimits, delayed };
}

describe('createDeliveryWorker({ shortWaitMs })', () => {
  it(
    'waits a short wait for a reserved slot in the worker, not as a delayed job',
    async () => {
      const { rateLimits, delayed } = await run(10_000);
      expect(rateLimits.filter((e) => e.kind === 'deferred').length).toBeGreaterThan(0);
      expect(rateLimits.filter((e) => e.kind === 'granted')).toHaveLength(3);
      expect(delayed).toBe(0);
    },
    ceiling(30_000),
  );

  it(
    'with shortWaitMs 0, every wait is a delayed job',
    async () => {
      const { rateLimits, delayed } = await run(0);
      expect(rateLimits.filter((e) => e.kind === 'granted')).toHaveLength(3);
      expect(delayed).toBeGreaterThan(0);
    },
    ceiling(30_000),
  );
});
