import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import {
  type Context,
  type ContextManager,
  context,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type TextMapPropagator,
  trace,
} from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Channel } from './channel.js';
import { NotifyError } from './errors.js';
import type { AlertEventInput } from './events.js';
import { createNotifier } from './notifier.js';
import { retry } from './retry.js';
import type { EmailDelivery, SlackDelivery } from './routes.js';
import { createStaticDirectory } from './tenant.js';
import { injectTraceContext, TRACER_NAME, withExtractedContext } from './tracing.js';

// The W3C propagator every SDK registers, from the SDK's own dependency (not installed beside core).
const sdkRequire = createRequire(createRequire(import.meta.url).resolve('@opentelemetry/sdk-trace-base'));
const { W3CTraceContextPropagator } = sdkRequire('@opentelemetry/core') as {
  W3CTraceContextPropagator: new () => TextMapPropagator;
};

// @opentelemetry/context-async-hooks (what NodeSDK registers) needs Node 22 in its current major, so the
// test carries the same few lines: the active context kept in an AsyncLocalStorage.
class AsyncLocalStorageContextManager implements ContextManager {
  private readonly storage = new AsyncLocalStorage<Context>();
  active(): Context {
    return this.storage.getStore() ?? ROOT_CONTEXT;
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

const token = 'xoxTOKENsecretZZ9';
const hook = (n: number) => `https://hooks.slack.com/services/T0ACME/B0HOOK${n}/${token}${n}`;
const directory = createStaticDirectory([
  {
    organizationId: 'org_acme',
    email: { to: ['ops@acme.com', 'cto@acme.com'] },
    slack: {
      webhooks: [
        { url: hook(1), name: '#alerts' },
        { url: hook(2), name: '#broken' },
        { url: hook(3), name: '#critical', minSeverity: 'critical' },
      ],
    },
  },
]);

const noWait = async () => {};
// Channels as the packages write them: every send goes through core's retry().
const email: Channel<EmailDelivery> = {
  kind: 'email',
  send: (_message, options) =>
    retry(
      async ({ attempt }) => {
        if (attempt === 1)
          throw new NotifyError('421 try again later', { code: 'transient', retryable: true });
        return { attempts: attempt, durationMs: 3 };
      },
      { signal: options?.signal, sleep: noWait },
    ),
};
const slack: Channel<SlackDelivery<string>> = {
  kind: 'slack',
  send: ({ webhookUrl }, options) =>
    retry(
      async ({ attempt }) => {
        if (webhookUrl === hook(2))
          throw new NotifyError(`POST ${webhookUrl} answered 404 no_service`, { code: 'permanent' });
        if (attempt === 1)
          throw new NotifyError('429 rate limited', {
            code: 'rate_limited',
            retryable: true,
            retryAfterMs: 1500,
          });
        return { attempts: attempt, durationMs: 2 };
      },
      { signal: options?.signal, sleep: noWait },
    ),
};
const notifier = createNotifier<string>({
  directory,
  idempotency: false,
  routes: {
    email: { channel: email, render: () => ({ subject: 'Disk full', html: '<p>Disk full</p>' }) },
    slack: { channel: slack, render: () => 'Disk full' },
  },
});
const event = (organizationId = 'org_acme'): AlertEventInput => ({
  type: 'alert.created',
  alert: {
    id: 'alr_42',
    organizationId,
    title: 'Disk full',
    severity: 'high',
    category: 'system',
    createdAt: '2026-01-31T14:30:00Z',
  },
  occurredAt: '2026-01-31T14:30:05Z',
});

describe('tracing', () => {
  describe('without an SDK', () => {
    it('delivers as usual, carries no context and leaves no active span', async () => {
      const report = await notifier.notify(event());
      expect(report.summary.delivered).toBe(2);
      expect(trace.getActiveSpan()).toBeUndefined();
      expect(injectTraceContext()).toEqual({});
      expect(withExtractedContext({ traceparent: 'garbage' }, () => 7)).toBe(7);
    });
  });

  describe('with the SDK registered', () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    beforeAll(() => {
      trace.setGlobalTracerProvider(provider);
      context.setGlobalContextManager(new AsyncLocalStorageContextManager());
      propagation.setGlobalPropagator(new W3CTraceContextPropagator());
    });
    afterAll(async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    });
    beforeEach(() => exporter.reset());

    const ours = () => exporter.getFinishedSpans().filter((s) => s.instrumentationScope.name === TRACER_NAME);
    const notifySpan = () => {
      const spans = ours().filter((s) => s.name.startsWith('notify '));
      expect(spans).toHaveLength(1);
      return spans[0]!;
    };
    const childrenOf = (parent: ReadableSpan) =>
      ours().filter((s) => s.parentSpanContext?.spanId === parent.spanContext().spanId);

    describe('notify()', () => {
      it('makes one notify span with a child per record, carrying each outcome', async () => {
        const report = await notifier.notify(event());
        const root = notifySpan();
        expect(root.name).toBe('notify alert.created');
        expect(root.kind).toBe(SpanKind.INTERNAL);
        expect(root.parentSpanContext).toBeUndefined();
        expect(root.attributes).toMatchObject({
          'pytake.notify.event.type': 'alert.created',
          'pytake.notify.alert.id': 'alr_42',
          'pytake.notify.organization.id': 'org_acme',
          'pytake.notify.alert.severity': 'high',
          'pytake.notify.deliveries': 4,
          'pytake.notify.deliveries.delivered': 2,
          'pytake.notify.deliveries.failed': 1,
          'pytake.notify.deliveries.skipped': 1,
        });

        const children = childrenOf(root);
        expect(children).toHaveLength(report.records.length);
        expect(ours()).toHaveLength(1 + report.records.length);
        for (const child of children) expect(child.spanContext().traceId).toBe(root.spanContext().traceId);
        const outcomes = children
          .map((s) => ({
            name: s.name,
            channel: s.attributes['pytake.notify.channel'],
            route: s.attributes['pytake.notify.route'],
            status: s.attributes['pytake.notify.status'],
            attempts: s.attributes['pytake.notify.attempts'],
            error: s.attributes['error.type'],
            skip: s.attributes['pytake.notify.skip_reason'],
            spanStatus: s.status.code,
          }))
          .sort((a, b) => `${a.name}${a.status}`.localeCompare(`${b.name}${b.status}`));
        expect(outcomes).toEqual([
          {
            name: 'deliver email',
            channel: 'email',
            route: 'email',
            status: 'delivered',
            attempts: 2,
            error: undefined,
            skip: undefined,
            spanStatus: SpanStatusCode.UNSET,
          },
          {
            name: 'deliver slack',
            channel: 'slack',
            route: 'slack',
            status: 'delivered',
            attempts: 2,
            error: undefined,
            skip: undefined,
            spanStatus: SpanStatusCode.UNSET,
          },
          {
            name: 'deliver slack',
            channel: 'slack',
            route: 'slack',
            status: 'failed',
            attempts: 1,
            error: 'permanent',
            skip: undefined,
            spanStatus: SpanStatusCode.ERROR,
          },
          {
            name: 'deliver slack',
            channel: 'slack',
            route: 'slack',
            status: 'skipped',
            attempts: 0,
            error: undefined,
            skip: 'filtered',
            spanStatus: SpanStatusCode.UNSET,
          },
        ]);
        // Targets are named by a stable hash, one per target.
        const fingerprints = children.map((s) => s.attributes['pytake.notify.target.fingerprint']);
        expect(new Set(fingerprints).size).toBe(4);
        for (const f of fingerprints) expect(f).toMatch(/^[0-9a-f]{16}$/);
      });

      it('adds retries and rate-limit waits as events on the delivery span', async () => {
        await notifier.notify(event());
        const children = childrenOf(notifySpan());
        const eventsOf = (channel: string, status: string) =>
          children
            .find(
              (s) =>
                s.attributes['pytake.notify.channel'] === channel &&
                s.attributes['pytake.notify.status'] === status,
            )!
            .events.map((e) => ({ name: e.name, attributes: e.attributes }));
        expect(eventsOf('email', 'delivered')).toEqual([
          {
            name: 'pytake.notify.retry',
            attributes: {
              'pytake.notify.retry.attempt': 1,
              'pytake.notify.retry.delay_ms': expect.any(Number),
              'error.type': 'transient',
            },
          },
        ]);
        expect(eventsOf('slack', 'delivered')).toEqual([
          {
            name: 'pytake.notify.rate_limit_wait',
            attributes: {
              'pytake.notify.retry.attempt': 1,
              'pytake.notify.retry.delay_ms': 1500,
              'error.type': 'rate_limited',
            },
          },
        ]);
        expect(eventsOf('slack', 'failed')).toEqual([]);
      });

      it('puts no secret, address or URL path in any span', async () => {
        await notifier.notify(event());
        const text = JSON.stringify(
          ours().map((s) => ({ name: s.name, attributes: s.attributes, events: s.events, status: s.status })),
        );
        expect(text).toContain('permanent'); // the failure is there, without its URL
        for (const leak of [token, 'acme.com', '/services/', 'B0HOOK', 'hooks.slack.com', '#alerts'])
          expect(text).not.toContain(leak);
      });

      it('is a child of the caller’s active span', async () => {
        const tracer = trace.getTracer('service');
        const parent = tracer.startSpan('POST /alerts');
        await context.with(trace.setSpan(context.active(), parent), () => notifier.notify(event()));
        parent.end();
        expect(notifySpan().parentSpanContext?.spanId).toBe(parent.spanContext().spanId);
      });

      it('gives records without a target a child span too (an unknown organization)', async () => {
        const report = await notifier.notify(event('org_nobody'));
        const children = childrenOf(notifySpan());
        expect(children).toHaveLength(report.records.length);
        expect(children.map((s) => s.attributes['pytake.notify.skip_reason'])).toEqual([
          'unknown_organization',
          'unknown_organization',
        ]);
      });
    });

    describe('injectTraceContext() / withExtractedContext()', () => {
      it('carries the trace through plain job data, so that a worker’s notify joins it', async () => {
        const tracer = trace.getTracer('service');
        const enqueue = tracer.startSpan('enqueue');
        const carrier = context.with(trace.setSpan(context.active(), enqueue), () => injectTraceContext());
        enqueue.end();
        expect(Object.keys(carrier)).toContain('traceparent');
        const jobData = JSON.parse(JSON.stringify({ trace: carrier })) as { trace: Record<string, string> };

        // The worker, later and elsewhere: no active span of its own.
        await context.with(ROOT_CONTEXT, () =>
          withExtractedContext(jobData.trace, () => notifier.notify(event())),
        );
        const root = notifySpan();
        expect(root.spanContext().traceId).toBe(enqueue.spanContext().traceId);
        expect(root.parentSpanContext?.spanId).toBe(enqueue.spanContext().spanId);
      });

      it('runs in the current context when the job carries nothing', async () => {
        await withExtractedContext(undefined, () => notifier.notify(event()));
        expect(notifySpan().parentSpanContext).toBeUndefined();
      });
    });
  });
});
