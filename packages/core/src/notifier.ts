import { context } from '@opentelemetry/api';
import type { AlertDigest, RenderContext } from './alert-digest.js';
import { runBatch } from './batch.js';
import { deliverDigest } from './deliver-digest.js';
import { deliverTarget } from './deliver-target.js';
import type { DeliveryRecord, NotificationReport } from './delivery-record.js';
import { ConfigError, toNotifyError } from './errors.js';
import { checkEventSize, DEFAULT_MAX_EVENT_BYTES } from './event-size.js';
import { type AlertEvent, type AlertEventInput, parseAlertEvent } from './events.js';
import { createMemoryIdempotencyStore, type IdempotencyStore } from './idempotency.js';
import { createInProcessStorms } from './in-process-storms.js';
import { lookUpTenant } from './look-up-tenant.js';
import { asParsedAlertEvent } from './parsed-alert-event.js';
import { deliveryKey, factsOf, type PlannedTarget, planTargets, routeSkip } from './plan-targets.js';
import { organizationRecords, recordBase, reportOf } from './records.js';
import { ROUTE_KINDS, type RouteKind, type Routes, recordChannel } from './routes.js';
import { MAX_TIMER_MS } from './sleep.js';
import { storeClaims } from './store-claims.js';
import { checkTenantConfig, type TenantConfig, type TenantDirectory } from './tenant.js';
import {
  endDeliverySpan,
  endNotifySpan,
  startDeliverySpan,
  startNotifySpan,
  type TracedSpan,
} from './tracing.js';

/**
 * Options of `createNotifier`: where organizations are looked up, how each route renders and sends, and the
 * limits of a delivery.
 */
export interface NotifierOptions<SlackMessage = unknown> {
  /** Where each event's organization is looked up; when `get()` throws, each route gets a `failed` record. */
  directory: TenantDirectory;
  /**
   * How each kind of target is rendered and sent: `email`, `slack`, `slackApi`. A kind without a
   * route is skipped (`no_route`); a route without `renderDigest` has no storm control.
   */
  routes: Routes<SlackMessage>;
  /** Duplicate suppression; `false` turns it off. @default in-memory store, 24 h TTL */
  idempotency?: false | { store?: IdempotencyStore; ttlMs?: number };
  /** Called for every record, for metrics and audit logs. Errors thrown here are ignored. */
  onDelivery?: (record: DeliveryRecord) => void;
  /** Targets delivered at once for one event. @default 8 */
  concurrency?: number;
  /**
   * The longest one delivery (render and send, every retry included) may take. Past it, the
   * delivery's signal aborts and its record is `failed` with code `timeout`; the other targets are
   * unaffected. Set it above the channels' `maxRetryAfterMs` plus their whole backoff, or a
   * delivery that would have succeeded after a long Retry-After is cut short.
   * @default 120000
   */
  deliveryTimeoutMs?: number;
  /**
   * The longest `directory.get()` may take. Past it the event's records are `failed` with code
   * `timeout`, so that a slow database cannot hold `notify()`.
   * @default 10000
   */
  lookupTimeoutMs?: number;
  /** The largest event accepted, as JSON; a larger one is a ValidationError. @default 65536 */
  maxEventBytes?: number;
}

/** Delivers alert events to each organization's channels; made by `createNotifier`. */
export interface Notifier {
  /**
   * Delivers one event to every target its organization routes it to. Never rejects because a
   * delivery failed (see the report); rejects only with ValidationError for a malformed event.
   */
  notify(
    event: AlertEventInput | AlertEvent,
    options?: { signal?: AbortSignal },
  ): Promise<NotificationReport>;
  /**
   * Sends every digest that storm control holds at once, and resolves when they are sent (their
   * records reach `onDelivery`). Call it on a graceful shutdown: held events live in this process
   * only and are lost if it exits without it. Events notified afterwards go alone.
   */
  close(): Promise<void>;
}

/** The defaults of {@link NotifierOptions}. */
export const notifierDefaults = {
  /** @default 86400000 (24 h) */
  idempotencyTtlMs: 24 * 60 * 60 * 1000,
  /** @default 8 */
  concurrency: 8,
  /** @default 120000 */
  deliveryTimeoutMs: 120_000,
  /** @default 10000 */
  lookupTimeoutMs: 10_000,
  /** @default 65536 */
  maxEventBytes: DEFAULT_MAX_EVENT_BYTES,
  /**
   * How long a claim outlives the delivery's own deadline before it expires by itself (a process
   * that died mid-delivery), so that a live delivery never loses its claim. @default 1000
   */
  claimMarginMs: 1000,
  /** First wait before asking the store again about a key in flight; it doubles. @default 25 */
  inFlightPollMs: 25,
  /** Longest wait between two questions about a key in flight. @default 1000 */
  inFlightPollMaxMs: 1000,
} as const;

function checkOptions(options: NotifierOptions<unknown>): void {
  const issues: { path: string; message: string }[] = [];
  const positive = (path: string, value: unknown, max: number, integer = false) => {
    if (value === undefined) return;
    const ok =
      typeof value === 'number' &&
      value >= 1 &&
      value <= max &&
      (integer ? Number.isInteger(value) : Number.isFinite(value));
    if (!ok) {
      const kind = integer ? 'an integer' : 'a number';
      issues.push({ path, message: `expected ${kind} from 1 to ${max}, got ${String(value)}` });
    }
  };
  // The timer that enforces it cannot hold more than 2^31 - 1 ms.
  positive('deliveryTimeoutMs', options.deliveryTimeoutMs, MAX_TIMER_MS - notifierDefaults.claimMarginMs);
  positive('lookupTimeoutMs', options.lookupTimeoutMs, MAX_TIMER_MS);
  positive('maxEventBytes', options.maxEventBytes, Number.MAX_SAFE_INTEGER, true);
  positive('concurrency', options.concurrency, Number.MAX_SAFE_INTEGER, true);
  if (options.idempotency) positive('idempotency.ttlMs', options.idempotency.ttlMs, Number.MAX_SAFE_INTEGER);
  if (typeof options.directory?.get !== 'function') {
    issues.push({
      path: 'directory',
      message: 'expected a TenantDirectory with a get(organizationId) method',
    });
  }
  if (issues.length > 0) throw new ConfigError('Invalid notifier options', issues);
}

/**
 * Creates the notifier that routes each event to each organization's recipients and webhooks.
 * @throws ConfigError naming a bad option (`deliveryTimeoutMs`, `concurrency`, `idempotency.ttlMs`).
 * @example
 * ```ts
 * import { createNotifier, createStaticDirectory } from '@pytake/notify-core';
 * import { createSlackWebhookChannel } from '@pytake/notify-slack';
 * import { renderSlackForTenant } from '@pytake/notify-templates';
 *
 * const notifier = createNotifier({
 *   directory: createStaticDirectory([
 *     { organizationId: 'org_acme', slack: { webhooks: [{ url: process.env.SLACK_WEBHOOK_URL! }] } },
 *   ]),
 *   routes: {
 *     slack: { channel: createSlackWebhookChannel(), render: renderSlackForTenant },
 *   },
 * });
 * const report = await notifier.notify(event);
 * ```
 */
export function createNotifier<SlackMessage = unknown>(options: NotifierOptions<SlackMessage>): Notifier {
  checkOptions(options as NotifierOptions<unknown>);
  const routes = options.routes as Routes<unknown>;
  const kinds = ROUTE_KINDS.filter((kind) => routes[kind]);
  const concurrency = options.concurrency ?? notifierDefaults.concurrency;
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? notifierDefaults.deliveryTimeoutMs;
  const lookupTimeoutMs = options.lookupTimeoutMs ?? notifierDefaults.lookupTimeoutMs;
  const maxEventBytes = options.maxEventBytes ?? notifierDefaults.maxEventBytes;
  // A claim is short-lived (a dead process's claim frees itself), the delivered mark lasts `ttlMs`.
  const claimTtlMs = deliveryTimeoutMs + notifierDefaults.claimMarginMs;
  const idempotency =
    options.idempotency === false
      ? undefined
      : {
          store: options.idempotency?.store ?? createMemoryIdempotencyStore(),
          claimTtlMs,
          ttlMs: options.idempotency?.ttlMs ?? notifierDefaults.idempotencyTtlMs,
          // Long enough to see a dead holder's claim expire, then one more question.
          inFlightWaitMs: claimTtlMs + notifierDefaults.inFlightPollMaxMs,
          pollMs: notifierDefaults.inFlightPollMs,
          pollMaxMs: notifierDefaults.inFlightPollMaxMs,
        };

  const emit = (record: DeliveryRecord) => {
    try {
      options.onDelivery?.(record);
    } catch {
      // A broken metrics hook must not turn a delivered alert into a failed notify().
    }
  };

  const storms = createInProcessStorms(routes, async (digest: AlertDigest, folded, { target, tenant }) => {
    const traced = startDeliverySpan(context.active(), {
      channel: recordChannel[target.route],
      route: target.route,
      targetId: target.targetId,
    });
    const { record, records } = await deliverDigest(target, {
      digest,
      folded: folded.map((event) => recordBase(event, target.route)),
      tenant,
      secrets: factsOf(tenant).secrets,
      routes,
      claims: idempotency && storeClaims(idempotency.store, idempotency, undefined),
      timeoutMs: deliveryTimeoutMs,
      spanContext: traced.context,
    });
    endDeliverySpan(traced.span, record);
    records.forEach(emit);
  });

  async function notify(input: AlertEventInput | AlertEvent, notifyOptions: { signal?: AbortSignal } = {}) {
    const event = asParsedAlertEvent(input) ?? parseAlertEvent(input);
    checkEventSize(event, maxEventBytes);
    // One span per notify(), a child span per record; parents are passed explicitly, so the tree
    // holds without a context manager.
    const traced = startNotifySpan(event);
    let report: NotificationReport | undefined;
    try {
      const records = await recordsOf(event, notifyOptions.signal, traced);
      records.forEach(emit);
      report = reportOf(event, records);
      return report;
    } finally {
      endNotifySpan(traced.span, report?.summary);
    }
  }

  // The records of one event: one per target, or one per route kind for an outcome that concerns
  // the whole organization, each in its span.
  async function recordsOf(
    event: AlertEvent,
    signal: AbortSignal | undefined,
    traced: TracedSpan,
  ): Promise<DeliveryRecord[]> {
    const organizationWide = (fields: Pick<DeliveryRecord, 'status' | 'reason' | 'error'>) => {
      const records = organizationRecords(event, kinds, fields);
      for (const record of records) {
        endDeliverySpan(startDeliverySpan(traced.context, { channel: record.channel }).span, record);
      }
      return records;
    };
    let tenant: TenantConfig | undefined;
    let targets: PlannedTarget[];
    try {
      const row = await lookUpTenant(options.directory, event.alert.organizationId, {
        timeoutMs: lookupTimeoutMs,
        signal,
      });
      if (row === undefined || row === null)
        return organizationWide({ status: 'skipped', reason: 'unknown_organization' });
      // What a directory returns is checked once per object: a bad database row fails its
      // deliveries with `config`, naming the field, instead of a TypeError rejecting notify().
      tenant = checkTenantConfig(row);
      targets = planTargets(event, tenant, routes);
    } catch (caught) {
      // A directory outage is a delivery failure like any other: it goes in the report, and notify()
      // keeps its promise of rejecting only for a malformed event.
      const error = toNotifyError(caught, tenant ? 'config' : 'transient');
      return organizationWide({
        status: 'failed',
        // lookUpTenant() redacted the directory's text; a tenant config error never echoes a value.
        error: { code: error.code, message: error.message },
      });
    }
    const config = tenant;
    const { secrets } = factsOf(config);
    // Render once per route kind (and render context), shared by every target of that kind, and
    // only when needed.
    const rendered = new Map<string, Promise<unknown>>();
    const contentFor = (route: RouteKind, renderContext: RenderContext) => {
      const key = `${route}\u0000${renderContext.firstReportedInDigest ?? ''}`;
      let promise = rendered.get(key);
      if (!promise) {
        promise = Promise.resolve().then(() => routes[route]!.render(event, config, renderContext));
        rendered.set(key, promise);
      }
      return promise;
    };
    const claims = idempotency && storeClaims(idempotency.store, idempotency, signal);
    // One span per target, in the notify span.
    const deliverTo = async (target: PlannedTarget): Promise<DeliveryRecord> => {
      const span = startDeliverySpan(traced.context, {
        channel: recordChannel[target.route],
        route: target.route,
        targetId: target.targetId,
      });
      // Only a target that would be sent counts towards its storm.
      const storm =
        (target.skip ?? routeSkip(target.route, routes)) ? undefined : storms.decide(event, target, config);
      if (storm?.kind === 'fold') {
        const record: DeliveryRecord = {
          ...recordBase(event, target.route),
          target: target.display,
          status: 'digested',
          digestId: storm.digestId,
          attempts: 0,
          durationMs: 0,
          idempotencyKey: deliveryKey(event, target),
          at: new Date(),
        };
        endDeliverySpan(span.span, record);
        return record;
      }
      const renderContext: RenderContext = storm?.firstReportedInDigest
        ? { firstReportedInDigest: storm.firstReportedInDigest }
        : {};
      const { record } = await deliverTarget(target, {
        event,
        secrets,
        routes,
        content: ({ route }) => contentFor(route, renderContext),
        claims,
        timeoutMs: deliveryTimeoutMs,
        signal,
        spanContext: span.context,
      });
      endDeliverySpan(span.span, record);
      return record;
    };
    // With no more targets than `concurrency` (the usual case) all of them run at once anyway, so
    // plain Promise.all does it without runBatch's workers and iterator.
    if (targets.length <= concurrency) return Promise.all(targets.map(deliverTo));
    return (await runBatch(targets, deliverTo, { concurrency })).map((r) =>
      r.ok ? r.value : unreachable(r.error),
    );
  }

  return { notify, close: () => storms.close() };
}

// The task above catches everything; a rejected item would be a bug in this file.
function unreachable(error: unknown): never {
  throw error;
}
