import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import {
  createStaticDirectory,
  type DeliveryRecord,
  parseAlertEvent,
  parseTenantConfig,
  planTargets,
  type TenantConfigInput,
  type TracedSpan,
} from '@pytake/notify-core';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker } from './delivery-worker.js';
import { deliveryJobId, eventJobId, queueNames } from './job-ids.js';
import { createNotificationQueue, type NotificationQueue } from './notification-queue.js';
import { alertEvent, ceiling, render, tenant, until, webhookPath } from './testing/fixtures.js';
import { createHttpChannel } from './testing/http-channel.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';
import { type Receiver, startReceiver } from './testing/webhook-receiver.js';

// @opentelemetry/api and the W3C propagator as the SDK's own dependencies (the queue itself reaches
// the API only through core), typed with the few calls this test makes.
type Context = TracedSpan['context'];
type Span = TracedSpan['span'];
interface ContextManager {
  active(): Context;
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F>;
  bind<T>(ctx: Context, target: T): T;
  enable(): this;
  disable(): this;
}
const sdkRequire = createRequire(createRequire(import.meta.url).resolve('@opentelemetry/sdk-trace-base'));
const api = sdkRequire('@opentelemetry/api') as {
  ROOT_CONTEXT: Context;
  context: { setGlobalContextManager(manager: ContextManager): boolean; disable(): void };
  propagation: { setGlobalPropagator(propagator: unknown): boolean; disable(): void };
  trace: {
    setGlobalTracerProvider(provider: unknown): boolean;
    disable(): void;
    getTracer(name: string): { startActiveSpan<T>(name: string, fn: (span: Span) => T): T };
  };
};
const { W3CTraceContextPropagator } = sdkRequire('@opentelemetry/core') as {
  W3CTraceContextPropagator: new () => unknown;
};

// What NodeSDK registers (its package needs Node 22 in its current major): the active context in an
// AsyncLocalStorage, so that `enqueue()` called inside a span sees it.
class AsyncLocalStorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? api.ROOT_CONTEXT;
  }
  with<A extends unknown[], F extends (...args: A) => ReturnType<F>>(
    ctx: Context,
    fn: F,
    thisArg?: ThisParameterType<F>,
    ...args: A
  ): ReturnType<F> {
    return this.storage.run(ctx, () => fn.call(thisArg, ...args));
  }
  bind<T>(ctx: Context, target: T): T {
    if (typeof target !== 'function') return target;
    const manager = this;
    return function (this: unknown, ...args: unknown[]) {
      return manager.with(ctx, () => (target as (...a: unknown[]) => unknown).apply(this, args));
    } as T;
  }
  enable(): this {
    return this;
  }
  disable(): this {
    this.storage.disable();
    return this;
  }
}

const exporter = new InMemorySpanExporter();
let redis: TestRedis;
let receiver: Receiver;
let queue: NotificationQueue;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  api.propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  api.trace.setGlobalTracerProvider(
    new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] }),
  );
  redis = await startRedis();
  // Webhook 1 always answers 500: retried, then dead.
  receiver = await startReceiver({ failWith: new Map([[webhookPath(1), 500]]) });
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
  await redis.client().flushall();
  exporter.reset();
});
afterAll(async () => {
  await queue?.close();
  await receiver?.close();
  await redis?.stop();
  api.trace.disable();
  api.propagation.disable();
  api.context.disable();
});

const emailOff = (config: TenantConfigInput): TenantConfigInput => ({
  ...config,
  email: { ...config.email!, enabled: false },
});

const startWorker = (records: DeliveryRecord[], webhooks = 2) => {
  const worker = createDeliveryWorker({
    connection: redis.connection,
    // Email switched off: its target is skipped while the event is planned (`disabled`).
    directory: createStaticDirectory([emailOff(tenant(receiver.base, webhooks))]),
    routes: { slack: { channel: createHttpChannel(), render } },
    // Burst 1 at 5/s: the second delivery to a webhook waits for its slot (a rate-limit wait).
    limits: { slack: { perSecond: 5, burst: 1 } },
    // Every wait as a delayed job (a 200 ms wait would otherwise be waited in the worker): the spans
    // of runs that leave a delivery delayed are what this test looks at.
    shortWaitMs: 0,
    deliveryAttempts: 2,
    backoff: { baseDelayMs: 20, maxDelayMs: 50 },
    onDelivery: (record) => records.push(record),
  });
  open.push(worker);
  return worker;
};

const spans = () => exporter.getFinishedSpans();
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;
const named = (prefix: string) => spans().filter((s) => s.name.startsWith(prefix));
const eventNames = (span: ReadableSpan) => span.events.map((e) => e.name);
// The tenant has email recipients but the workers no email route: those records are skips.
const slackOnly = (records: DeliveryRecord[]) => records.filter((r) => r.channel === 'slack');

describe('trace context through the queue', () => {
  it(
    "puts the worker's spans in the trace of the call that enqueued the alert",
    async () => {
      const records: DeliveryRecord[] = [];
      startWorker(records);
      const service = await api.trace
        .getTracer('test-service')
        .startActiveSpan('service call', async (span) => {
          await queue.enqueue(alertEvent(1));
          await queue.enqueue(alertEvent(2));
          span.end();
          return span.spanContext();
        });
      // Two events, two webhooks each: webhook 0 delivered twice, webhook 1 failed twice (500, retried).
      expect(await until(() => slackOnly(records).length === 4, 60_000)).toBe(true);
      expect(
        slackOnly(records)
          .map((r) => r.status)
          .sort(),
      ).toEqual(['delivered', 'delivered', 'failed', 'failed']);

      const notifySpans = named('notify ');
      expect(notifySpans.map((s) => s.name)).toEqual(['notify alert.created', 'notify alert.created']);
      for (const span of notifySpans) {
        expect(span.spanContext().traceId).toBe(service.traceId);
        expect(parentOf(span)).toBe(service.spanId);
        expect(span.attributes).toMatchObject({
          'messaging.system': 'bullmq',
          'messaging.operation.type': 'process',
          'messaging.destination.name': 'events',
          'pytake.notify.event.type': 'alert.created',
          'pytake.notify.deliveries.queued': 2,
        });
        expect(span.attributes['messaging.message.id']).toMatch(/^evt-[0-9a-f]{32}$/);
      }

      const notifyIds = new Set(notifySpans.map((s) => s.spanContext().spanId));
      // Records the event run made itself (the email skips) are spans under it, as in notify().
      const skips = named('deliver email');
      expect(skips).toHaveLength(2);
      for (const span of skips) {
        expect(notifyIds.has(parentOf(span)!)).toBe(true);
        expect(span.attributes).toMatchObject({
          'pytake.notify.status': 'skipped',
          'pytake.notify.skip_reason': 'disabled',
        });
      }
      // Every run of every delivery job is a `deliver slack` span under its event's `notify` span.
      const deliverSpans = named('deliver slack');
      expect(deliverSpans.length).toBeGreaterThanOrEqual(4);
      for (const span of deliverSpans) {
        expect(span.name).toBe('deliver slack');
        expect(span.spanContext().traceId).toBe(service.traceId);
        expect(notifyIds.has(parentOf(span)!)).toBe(true);
        expect(span.attributes).toMatchObject({
          'messaging.system': 'bullmq',
          'messaging.destination.name': 'deliveries-slack',
          'pytake.notify.channel': 'slack',
          'pytake.notify.route': 'slack',
        });
        expect(span.attributes['messaging.message.id']).toMatch(/^dlv-[0-9a-f]{32}$/);
      }
      // Each event has its own two deliveries: one delivered and one dead, under that event's span.
      for (const id of notifyIds) {
        const outcomes = deliverSpans
          .filter((s) => parentOf(s) === id)
          .map((s) => s.attributes['pytake.notify.status'])
          .filter((status) => status === 'delivered' || status === 'failed')
          .sort();
        expect(outcomes).toEqual(['delivered', 'failed']);
      }
      const by = (status: string) =>
        deliverSpans.filter((s) => s.attributes['pytake.notify.status'] === status);
      // The dead ones: error.type and the span's status say so, after 2 attempts.
      for (const span of by('failed')) {
        expect(span.attributes).toMatchObject({ 'error.type': 'transient', 'pytake.notify.attempts': 2 });
        expect(span.status.code).toBe(2);
      }
      // Their first run failed and was retried: a retry event, state `retrying`.
      const retried = by('retrying');
      expect(retried.length).toBeGreaterThanOrEqual(2);
      for (const span of retried) {
        expect(eventNames(span)).toContain('pytake.notify.retry');
        expect(span.attributes).toMatchObject({ 'error.type': 'transient', 'pytake.notify.attempts': 1 });
      }
      // Each webhook takes one delivery at a time (burst 1): the others waited for a slot, as delayed jobs.
      const waited = by('delayed');
      expect(waited.length).toBeGreaterThanOrEqual(1);
      for (const span of waited) {
        const wait = span.events.find((e) => e.name === 'pytake.notify.rate_limit_wait');
        expect(wait?.attributes?.['pytake.notify.retry.delay_ms']).toBeGreaterThan(0);
      }

      // No secret, address or URL in any attribute, event or status.
      const text = JSON.stringify(spans().map((s) => [s.attributes, s.events, s.status]));
      for (const secret of [
        's3cr3t',
        '/services/',
        '127.0.0.1',
        receiver.base,
        'acme-secret',
        'oncall.person',
      ])
        expect(text).not.toContain(secret);
    },
    ceiling(90_000),
  );

  it('carries only the W3C context in job data, and nothing outside a trace', async () => {
    await api.trace.getTracer('test-service').startActiveSpan('service call', async (span) => {
      await queue.enqueue(alertEvent(1));
      span.end();
    });
    await queue.enqueue(alertEvent(2)); // outside any span
    const events = new Queue(queueNames.events, { connection: redis.connection, prefix: '{pytake-notify}' });
    try {
      const traced = await events.getJob(eventJobId(parseAlertEvent(alertEvent(1))));
      const untraced = await events.getJob(eventJobId(parseAlertEvent(alertEvent(2))));
      expect(Object.keys(traced!.data.trace)).toEqual(['traceparent']);
      expect(traced!.data.trace.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(untraced!.data).not.toHaveProperty('trace');
    } finally {
      await events.close();
    }
  });

  it(
    'delivers jobs that older code enqueued without trace data, each in a trace of its own',
    async () => {
      const input = alertEvent(3);
      const event = parseAlertEvent(input);
      const target = planTargets(event, parseTenantConfig(tenant(receiver.base, 1)), {
        slack: { channel: createHttpChannel(), render },
      }).find((t) => t.route === 'slack');
      // An event job, and a delivery job (with its event stored), with no `trace`.
      const events = new Queue(queueNames.events, {
        connection: redis.connection,
        prefix: '{pytake-notify}',
      });
      const slack = new Queue(queueNames.slack, { connection: redis.connection, prefix: '{pytake-notify}' });
      try {
        await events.add(
          'event',
          { event: alertEvent(4) },
          { jobId: eventJobId(parseAlertEvent(alertEvent(4))) },
        );
        await redis.client().set(`{pytake-notify}:event:${eventJobId(event)}`, JSON.stringify(event));
        await slack.add(
          'delivery',
          {
            eventId: eventJobId(event),
            organizationId: event.alert.organizationId,
            alertId: event.alert.id,
            eventType: event.type,
            targetId: target!.targetId,
          },
          { jobId: deliveryJobId(event, target!) },
        );
      } finally {
        await Promise.all([events.close(), slack.close()]);
      }
      const records: DeliveryRecord[] = [];
      startWorker(records, 1);
      expect(await until(() => slackOnly(records).length === 2, 60_000)).toBe(true);
      expect(
        slackOnly(records)
          .map((r) => [r.alertId, r.status])
          .sort(),
      ).toEqual([
        ['alert-3', 'delivered'],
        ['alert-4', 'delivered'],
      ]);

      // The old event job: its `notify` span starts a trace, and its delivery (a new job) joins it.
      const [notify] = named('notify ');
      expect(notify).toBeDefined();
      expect(parentOf(notify!)).toBeUndefined();
      const deliveries = named('deliver slack').filter(
        (s) => s.attributes['pytake.notify.status'] === 'delivered',
      );
      expect(deliveries).toHaveLength(2);
      const underNotify = deliveries.filter((s) => parentOf(s) === notify!.spanContext().spanId);
      expect(underNotify).toHaveLength(1);
      expect(underNotify[0]!.spanContext().traceId).toBe(notify!.spanContext().traceId);
      // The old delivery job: a root span of a trace of its own.
      const orphan = deliveries.find((s) => s !== underNotify[0])!;
      expect(parentOf(orphan)).toBeUndefined();
      expect(orphan.spanContext().traceId).not.toBe(notify!.spanContext().traceId);
    },
    ceiling(90_000),
  );
});
