// Traces through @opentelemetry/api only: with no SDK registered every call below is a no-op on a
// non-recording span, so a service that does not trace pays nothing. Attribute names follow the
// semantic conventions where one exists (`error.type`); ours live under `pytake.notify.*`. No
// attribute ever holds a secret, an address or a URL: targets are named by route and a digest of their stable identity.
import {
  type Attributes,
  type Context,
  context,
  isSpanContextValid,
  propagation,
  type Span,
  SpanKind,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { DeliveryRecord, DeliveryStatus } from './delivery-record.js';
import type { AlertEvent } from './events.js';
import type { RouteKind } from './routes.js';
import { digestOf } from './target-id.js';

/** The tracer's name: filter on it to see only our spans. */
export const TRACER_NAME = '@pytake/notify-core';

/** Every attribute name this package sets, in one place. */
export const traceAttributes = {
  eventType: 'pytake.notify.event.type',
  alertId: 'pytake.notify.alert.id',
  organizationId: 'pytake.notify.organization.id',
  severity: 'pytake.notify.alert.severity',
  channel: 'pytake.notify.channel',
  route: 'pytake.notify.route',
  /**
   * A digest of the target's stable identity (`targetId`): stable per target and free of names, which
   * trace backends outside the service would otherwise receive.
   */
  fingerprint: 'pytake.notify.target.fingerprint',
  status: 'pytake.notify.status',
  attempts: 'pytake.notify.attempts',
  skipReason: 'pytake.notify.skip_reason',
  refused: 'pytake.notify.refused_count',
  deliveries: 'pytake.notify.deliveries',
  retryAttempt: 'pytake.notify.retry.attempt',
  retryDelayMs: 'pytake.notify.retry.delay_ms',
  /** Semantic conventions: the class of error, here the NotifyError code. */
  errorType: 'error.type',
} as const;

const tracer = () => trace.getTracer(TRACER_NAME);

// Without an SDK the span is a no-op with an invalid context: the parent context serves as it is,
// which saves a context copy per span.
const under = (parent: Context, span: Span): Context =>
  span.isRecording() || isSpanContextValid(span.spanContext()) ? trace.setSpan(parent, span) : parent;

/** A span and the context that makes it the parent of what starts under it. */
export interface TracedSpan {
  span: Span;
  context: Context;
}

/** Starts the span of one `notify()` (or one queued event), a child of `parent`. */
export function startNotifySpan(event: AlertEvent, parent: Context = context.active()): TracedSpan {
  const span = tracer().startSpan(
    `notify ${event.type}`,
    {
      kind: SpanKind.INTERNAL,
      attributes: {
        [traceAttributes.eventType]: event.type,
        [traceAttributes.alertId]: event.alert.id,
        [traceAttributes.organizationId]: event.alert.organizationId,
        [traceAttributes.severity]: event.alert.severity,
      },
    },
    parent,
  );
  return { span, context: under(parent, span) };
}

/** Ends a notify span with the count of its records by status. */
export function endNotifySpan(span: Span, summary: Record<DeliveryStatus, number> | undefined): void {
  if (summary && span.isRecording()) {
    const attributes: Attributes = {
      [traceAttributes.deliveries]: Object.values(summary).reduce((a, b) => a + b, 0),
    };
    for (const [status, count] of Object.entries(summary))
      attributes[`pytake.notify.deliveries.${status}`] = count;
    span.setAttributes(attributes);
  }
  span.end();
}

/**
 * Starts the span of one delivery, a child of `parent` (the notify span's context). Run the send
 * inside `context.with(traced.context, ...)` so that `retry()` adds its events to this span.
 */
export function startDeliverySpan(
  parent: Context,
  target: { channel: string; route?: RouteKind; targetId?: string },
): TracedSpan {
  const attributes: Attributes = { [traceAttributes.channel]: target.channel };
  if (target.route) attributes[traceAttributes.route] = target.route;
  const span = tracer().startSpan(
    `deliver ${target.channel}`,
    { kind: SpanKind.INTERNAL, attributes },
    parent,
  );
  // Hashed only when someone records: without an SDK a delivery pays nothing for it.
  if (target.targetId && span.isRecording())
    span.setAttribute(traceAttributes.fingerprint, digestOf(`${target.route}:${target.targetId}`));
  return { span, context: under(parent, span) };
}

/** Ends a delivery span with its record's outcome: status, attempts, and `error.type` when failed. */
export function endDeliverySpan(span: Span, record: DeliveryRecord): void {
  if (span.isRecording()) {
    const attributes: Attributes = {
      [traceAttributes.status]: record.status,
      [traceAttributes.attempts]: record.attempts,
    };
    if (record.reason) attributes[traceAttributes.skipReason] = record.reason;
    if (record.refused?.length) attributes[traceAttributes.refused] = record.refused.length;
    if (record.error) attributes[traceAttributes.errorType] = record.error.code;
    span.setAttributes(attributes);
    // The record's message is the one logged: secrets and the tenant's addresses are already out.
    if (record.status === 'failed')
      span.setStatus({ code: SpanStatusCode.ERROR, message: record.error?.message });
  }
  span.end();
}

/** Adds a retry (or, when the provider set Retry-After, a rate-limit wait) to the active span. */
export function addRetryEvent(info: {
  attempt: number;
  delayMs: number;
  code: string;
  retryAfter: boolean;
}): void {
  const span = trace.getActiveSpan();
  if (!span?.isRecording()) return;
  span.addEvent(info.retryAfter ? 'pytake.notify.rate_limit_wait' : 'pytake.notify.retry', {
    [traceAttributes.retryAttempt]: info.attempt,
    [traceAttributes.retryDelayMs]: info.delayMs,
    [traceAttributes.errorType]: info.code,
  });
}

/**
 * The active trace context as plain strings (W3C `traceparent`/`tracestate` with the usual
 * propagator), to put in a job's data. Empty when no propagator is registered.
 */
export function injectTraceContext(from: Context = context.active()): Record<string, string> {
  const carrier: Record<string, string> = {};
  propagation.inject(from, carrier);
  return carrier;
}

/** The context carried by `injectTraceContext()`'s output, for an explicit parent. */
export function extractTraceContext(carrier: Record<string, string> | undefined): Context {
  return propagation.extract(context.active(), carrier ?? {});
}

/**
 * Runs `fn` inside the context carried by `injectTraceContext()`'s output, so that the spans it
 * starts (a worker's `notify` span) join the trace of the call that enqueued the job. A missing or
 * empty carrier runs `fn` in the current context.
 */
export function withExtractedContext<T>(carrier: Record<string, string> | undefined, fn: () => T): T {
  return context.with(extractTraceContext(carrier), fn);
}
