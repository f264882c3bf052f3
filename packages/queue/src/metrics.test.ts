import { createStaticDirectory } from '@pytake/notify-core';
import { Counter, Registry, register } from 'prom-client';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker } from './delivery-worker.js';
import { registerQueueMetrics } from './metrics.js';
import { createNotificationQueue, type NotificationQueue } from './notification-queue.js';
import { createRedisRateLimiter } from './redis-rate-limiter.js';
import { alertEvent, ceiling, render, tenant, until, webhookPath } from './testing/fixtures.js';
import { createHttpChannel } from './testing/http-channel.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';
import { type Receiver, startReceiver } from './testing/webhook-receiver.js';

let redis: TestRedis;
let receiver: Receiver;
let queue: NotificationQueue;
const open: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  redis = await startRedis();
  // The second webhook is revoked: its deliveries fail for good (dead).
  receiver = await startReceiver({ failWith: new Map([[webhookPath(1), 400]]) });
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
  await redis.client().flushall();
});
afterAll(async () => {
  await queue?.close();
  await receiver?.close();
  await redis?.stop();
});

// The sample lines of one metric, without HELP and TYPE.
const samples = (text: string, name: string) =>
  text.split('\n').filter((line) => line.startsWith(`${name}{`));

describe('registerQueueMetrics', () => {
  it(
    'reads jobs per queue and state from Redis on every scrape',
    async () => {
      const registry = new Registry();
      registerQueueMetrics(queue, { registry });
      for (let n = 1; n <= 3; n++) await queue.enqueue(alertEvent(n));
      expect(samples(await registry.metrics(), 'notify_queue_jobs')).toContain(
        'notify_queue_jobs{queue="events",state="waiting"} 3',
      );

      // A slow shared limit (1 per 100 s, burst 1) keeps every delivery after each webhook's first delayed.
      const worker = createDeliveryWorker({
        connection: redis.connection,
        directory: createStaticDirectory([tenant(receiver.base, 2)]),
        routes: { slack: { channel: createHttpChannel(), render } },
        limits: { slack: { perSecond: 0.01, burst: 1 } },
      });
      open.push(worker);
      const settled = async () => {
        const counts = (await queue.jobCounts())['deliveries-slack'];
        return counts.delayed === 4 && counts.dead === 1 && counts.active === 0;
      };
      expect(await until(settled, 30_000)).toBe(true);

      const text = await registry.metrics();
      expect(text).toContain('# TYPE notify_queue_jobs gauge');
      expect(samples(text, 'notify_queue_jobs')).toEqual([
        'notify_queue_jobs{queue="events",state="waiting"} 0',
        'notify_queue_jobs{queue="events",state="delayed"} 0',
        'notify_queue_jobs{queue="events",state="active"} 0',
        'notify_queue_jobs{queue="events",state="dead"} 0',
        // Every target is planned whichever worker plans: the email deliveries wait for a worker with an email route.
        'notify_queue_jobs{queue="deliveries-email",state="waiting"} 3',
        'notify_queue_jobs{queue="deliveries-email",state="delayed"} 0',
        'notify_queue_jobs{queue="deliveries-email",state="active"} 0',
        'notify_queue_jobs{queue="deliveries-email",state="dead"} 0',
        'notify_queue_jobs{queue="deliveries-slack",state="waiting"} 0',
        'notify_queue_jobs{queue="deliveries-slack",state="delayed"} 4',
        'notify_queue_jobs{queue="deliveries-slack",state="active"} 0',
        'notify_queue_jobs{queue="deliveries-slack",state="dead"} 1',
        'notify_queue_jobs{queue="deliveries-slack-api",state="waiting"} 0',
        'notify_queue_jobs{queue="deliveries-slack-api",state="delayed"} 0',
        'notify_queue_jobs{queue="deliveries-slack-api",state="active"} 0',
        'notify_queue_jobs{queue="deliveries-slack-api",state="dead"} 0',
        'notify_queue_jobs{queue="message-updates",state="waiting"} 0',
        'notify_queue_jobs{queue="message-updates",state="delayed"} 0',
        'notify_queue_jobs{queue="message-updates",state="active"} 0',
        'notify_queue_jobs{queue="message-updates",state="dead"} 0',
      ]);
      // Bounded labels: queue names and states, never a tenant, alert, address or URL.
      for (const secret of ['org-1', 'alert-', '127.0.0.1', '/services/', 'acme-secret', 'evt-', 'dlv-'])
        expect(text).not.toContain(secret);
      expect((await queue.deadLetters.list()).length).toBe(1);
    },
    ceiling(60_000),
  );

  it('counts the targets a 429 holds now, per route kind, from Redis on every scrape', async () => {
    const registry = new Registry();
    registerQueueMetrics(queue, { registry });
    const name = 'notify_queue_rate_limit_holds';
    expect(samples(await registry.metrics(), name)).toEqual([
      `${name}{route="email"} 0`,
      `${name}{route="slack"} 0`,
      `${name}{route="slackApi"} 0`,
    ]);
    // Two webhooks held by the limiter every worker shares, as a 429 holds them.
    const limiter = createRedisRateLimiter(redis.client(), '{pytake-notify}');
    const limit = { perSecond: 1, burst: 5 };
    for (const [destination, target] of [
      ['https://hooks.example/services/acme-secret-1', 'ops (…1)'],
      ['https://hooks.example/services/acme-secret-2', 'alerts (…2)'],
    ])
      await limiter.hold(destination!, limit, 60_000, {
        organizationId: 'org-1',
        route: 'slack',
        target: target!,
      });
    const text = await registry.metrics();
    expect(samples(text, name)).toEqual([
      `${name}{route="email"} 0`,
      `${name}{route="slack"} 2`,
      `${name}{route="slackApi"} 0`,
    ]);
    for (const secret of ['org-1', 'acme-secret', 'ops (']) expect(text).not.toContain(secret);
  });

  it('registers on prom-client global registry by default', async () => {
    try {
      const metrics = registerQueueMetrics(queue);
      expect(metrics.registry).toBe(register);
      await queue.enqueue(alertEvent(1));
      expect(samples(await register.metrics(), 'notify_queue_jobs')).toContain(
        'notify_queue_jobs{queue="events",state="waiting"} 1',
      );
    } finally {
      register.removeSingleMetric('notify_queue_jobs');
      register.removeSingleMetric('notify_queue_rate_limit_holds');
    }
  });

  it('answers a scrape without samples when Redis is down', async () => {
    const down = createNotificationQueue({
      connection: { path: '/nonexistent/redis.sock' },
      connectTimeoutMs: 300,
    });
    open.push(down);
    const registry = new Registry();
    registerQueueMetrics(down, { registry });
    const text = await registry.metrics();
    expect(text).toContain('# TYPE notify_queue_jobs gauge');
    expect(samples(text, 'notify_queue_jobs')).toEqual([]);
    await expect(down.jobCounts()).rejects.toMatchObject({ name: 'QueueUnavailableError', retryable: true });
  });

  it('reads the queue of the latest call when called again on one registry', async () => {
    const registry = new Registry();
    const down = createNotificationQueue({
      connection: { path: '/nonexistent/redis.sock' },
      connectTimeoutMs: 300,
    });
    open.push(down);
    registerQueueMetrics(down, { registry });
    registerQueueMetrics(queue, { registry, prefix: 'notify_' });
    await queue.enqueue(alertEvent(1));
    expect(samples(await registry.metrics(), 'notify_queue_jobs')).toContain(
      'notify_queue_jobs{queue="events",state="waiting"} 1',
    );
  });

  it('takes a prefix, and refuses a name that another kind of metric holds', async () => {
    const registry = new Registry();
    registerQueueMetrics(queue, { registry, prefix: 'svc_' });
    expect(registry.getSingleMetric('svc_queue_jobs')).toBeDefined();
    new Counter({ name: 'x_queue_jobs', help: 'taken', registers: [registry] });
    expect(() => registerQueueMetrics(queue, { registry, prefix: 'x_' })).toThrow(
      /already holds x_queue_jobs as another kind of metric; pass another prefix/,
    );
    expect(() => registerQueueMetrics({} as never, { registry })).toThrow(/createNotificationQueue/);
  });
});
