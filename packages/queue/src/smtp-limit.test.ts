import {
  type Channel,
  ConfigError,
  createStaticDirectory,
  type DeliveryRecord,
  type EmailDelivery,
  type TenantConfigInput,
} from '@pytake/notify-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker, type DeliveryWorkerOptions, type RateLimitEvent } from './delivery-worker.js';
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

// Three organizations, each with its own recipients: three email targets, three destinations.
const tenants: TenantConfigInput[] = [1, 2, 3].map((n) => ({
  organizationId: `org-${n}`,
  email: { to: [`oncall${n}@tenant${n}.example`] },
}));
// The test's SMTP side: what the email route was handed, in order (the limit is what is tested here).
const sent: EmailDelivery[] = [];
const email: Channel<EmailDelivery> = {
  kind: 'email',
  async send(delivery) {
    sent.push(delivery);
    return { attempts: 1, durationMs: 1 };
  },
};
const start = (
  options: Partial<DeliveryWorkerOptions>,
  rateLimits: RateLimitEvent[],
  records: DeliveryRecord[],
) => {
  const worker = createDeliveryWorker({
    connection: redis.connection,
    directory: createStaticDirectory(tenants),
    routes: { email: { channel: email, render: (e) => ({ subject: e.alert.title, html: '<p>alert</p>' }) } },
    onRateLimit: (event) => rateLimits.push(event),
    onDelivery: (record) => records.push(record),
    ...options,
  });
  open.push(worker);
  return worker;
};
// The limit is slow on purpose (1 per 100 s), so that no slot frees up during the test however slow it runs.
const slow = { perSecond: 0.01, burst: 2 };

describe('createDeliveryWorker({ smtpLimit })', () => {
  it(
    'shares one limit among all email through one SMTP host, whatever the recipients',
    async () => {
      sent.length = 0;
      const rateLimits: RateLimitEvent[] = [];
      const records: DeliveryRecord[] = [];
      start({ smtpLimit: { host: 'SMTP.example.test', ...slow } }, rateLimits, records);
      const ids: string[] = [];
      for (const n of [1, 2, 3]) ids.push((await queue.enqueue(alertEvent(n, `org-${n}`))).id);
      expect(await until(() => rateLimits.filter((e) => e.kind === 'deferred').length === 1, 30_000)).toBe(
        true,
      );
      expect(await until(() => records.length === 2, 10_000)).toBe(true);
      expect(records.map((r) => r.status)).toEqual(['delivered', 'delivered']);
      expect(sent).toHaveLength(2);
      const deferred = rateLimits.find((e) => e.kind === 'deferred') as Extract<
        RateLimitEvent,
        { kind: 'deferred' }
      >;
      expect(deferred).toMatchObject({ route: 'email', held: false });
      expect(deferred.waitMs).toBeGreaterThan(90_000);
      // The third waits as a delayed job (no attempt spent), for the host's next slot. onRateLimit
      // reports the deferral before the worker has moved the job to the delayed set: poll for it
      // (CI once read 'waiting' in between).
      const states = async () =>
        (await Promise.all(ids.map(async (id) => (await queue.status(id))?.targets[0]?.state))).sort();
      await until(async () => (await states()).join() === 'delayed,delivered,delivered', 10_000);
      expect(await states()).toEqual(['delayed', 'delivered', 'delivered']);
      expect((await queue.jobCounts())['deliveries-email'].delayed).toBe(1);
      // Only a digest of the host is in Redis.
      const keys = await redis.client().keys('*');
      expect(keys.some((k) => k.toLowerCase().includes('smtp.example.test'))).toBe(false);
    },
    ceiling(60_000),
  );

  it(
    'without it, the email limit is per recipient set: three targets, no wait',
    async () => {
      sent.length = 0;
      const rateLimits: RateLimitEvent[] = [];
      const records: DeliveryRecord[] = [];
      start({ limits: { email: slow } }, rateLimits, records);
      for (const n of [1, 2, 3]) await queue.enqueue(alertEvent(n, `org-${n}`));
      expect(await until(() => records.length === 3, 30_000)).toBe(true);
      expect(rateLimits.map((e) => e.kind)).toEqual(['granted', 'granted', 'granted']);
    },
    ceiling(60_000),
  );

  it('refuses a limit without a host or with a bad rate, naming the option', () => {
    const bad = (options: Partial<DeliveryWorkerOptions>) => () =>
      createDeliveryWorker({
        connection: redis.connection,
        directory: createStaticDirectory(tenants),
        routes: { email: { channel: email, render: () => ({ subject: 's', html: 'h' }) } },
        ...options,
      });
    expect(bad({ smtpLimit: { host: ' ', ...slow } })).toThrow(ConfigError);
    expect(bad({ smtpLimit: { host: ' ', ...slow } })).toThrow(
      "smtpLimit.host must be the SMTP server's host name, got ' '",
    );
    expect(bad({ smtpLimit: { host: 'smtp.example.test', perSecond: 0, burst: 1 } })).toThrow(
      'smtpLimit.perSecond must be a number greater than 0, got 0',
    );
    expect(bad({ limits: { slack: { perSecond: 1, burst: 0.5 } } })).toThrow(
      'limits.slack.burst must be an integer of at least 1, got 0.5',
    );
  });
});
