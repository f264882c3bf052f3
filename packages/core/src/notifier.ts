import { context } from '@opentelemetry/api';
import { runBatch } from './batch.js';
import type { DeliveryReceipt } from './channel.js';
import { deadline } from './deadline.js';
import type { DeliveryRecord, DeliveryStatus, NotificationReport } from './delivery-record.js';
import { ConfigError, isNotifyError, NotifyError, toNotifyError } from './errors.js';
import { type AlertEvent, type AlertEventInput, parseAlertEvent } from './events.js';
import { type ClaimResult, createMemoryIdempotencyStore, type IdempotencyStore } from './idempotency.js';
import { asParsedAlertEvent } from './parsed-alert-event.js';
import { deliveryKey, factsOf, type PlannedTarget, planTargets } from './plan-targets.js';
import { redactSecrets } from './redact.js';
import { ROUTE_KINDS, type RouteKind, type Routes, recordChannel } from './routes.js';
import { MAX_TIMER_MS, sleep, untilAborted } from './sleep.js';
import { checkTenantConfig, type TenantConfig, type TenantDirectory } from './tenant.js';
import {
  endDeliverySpan,
  endNotifySpan,
  startDeliverySpan,
  startNotifySpan,
  type TracedSpan,
} from './tracing.js';

export interface NotifierOptions<SlackMessage = unknown> {
  directory: TenantDirectory;
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
}

export interface Notifier {
  /**
   * Delivers one event to every target its organization routes it to. Never rejects because a
   * delivery failed (see the report); rejects only with ValidationError for a malformed event.
   */
  notify(
    event: AlertEventInput | AlertEvent,
    options?: { signal?: AbortSignal },
  ): Promise<NotificationReport>;
}

export const notifierDefaults = {
  /** @default 86400000 (24 h) */
  idempotencyTtlMs: 24 * 60 * 60 * 1000,
  /** @default 8 */
  concurrency: 8,
  /** @default 120000 */
  deliveryTimeoutMs: 120_000,
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
 */
export function createNotifier<SlackMessage = unknown>(options: NotifierOptions<SlackMessage>): Notifier {
  checkOptions(options as NotifierOptions<unknown>);
  const idempotency =
    options.idempotency === false
      ? undefined
      : {
          store: options.idempotency?.store ?? createMemoryIdempotencyStore(),
          ttlMs: options.idempotency?.ttlMs ?? notifierDefaults.idempotencyTtlMs,
        };
  const concurrency = options.concurrency ?? notifierDefaults.concurrency;
  const deliveryTimeoutMs = options.deliveryTimeoutMs ?? notifierDefaults.deliveryTimeoutMs;
  // A claim is short-lived (a dead process's claim frees itself), the delivered mark lasts `ttlMs`.
  const claimTtlMs = deliveryTimeoutMs + notifierDefaults.claimMarginMs;
  // Long enough to see a dead holder's claim expire, then one more question.
  const inFlightWaitMs = claimTtlMs + notifierDefaults.inFlightPollMaxMs;

  const emit = (record: DeliveryRecord) => {
    try {
      options.onDelivery?.(record);
    } catch {
      // A broken metrics hook must not turn a delivered alert into a failed notify().
    }
  };

  /**
   * Waits for the outcome of a delivery of `key` held in flight by another caller: the store is
   * asked again with a growing pause until the key is delivered (`delivered`: a duplicate) or free
   * again (`claimed`: ours to deliver), so that `duplicate` never means "nothing was sent".
   */
  async function waitForOutcome(
    store: IdempotencyStore,
    key: string,
    signal: AbortSignal | undefined,
  ): Promise<ClaimResult | NotifyError> {
    const wait = deadline(
      inFlightWaitMs,
      signal,
      () =>
        new NotifyError(
          `Another delivery of this notification was still in flight after ${inFlightWaitMs} ms; try again later`,
          { code: 'timeout', retryable: true },
        ),
    );
    try {
      let pauseMs: number = notifierDefaults.inFlightPollMs;
      // Bounded by the deadline: every turn waits at least `inFlightPollMs`, or ends.
      for (;;) {
        try {
          await sleep(pauseMs, wait.signal);
        } catch (caught) {
          return wait.error ?? toNotifyError(caught);
        }
        pauseMs = Math.min(pauseMs * 2, notifierDefaults.inFlightPollMaxMs);
        let state: ClaimResult;
        try {
          state = await untilAborted(Promise.resolve(store.claim(key, claimTtlMs)), wait.signal);
        } catch (caught) {
          if (wait.signal.aborted) return wait.error ?? toNotifyError(caught);
          return 'claimed'; // the store went down while we waited: deliver, as above
        }
        if (state !== 'in_flight') return state;
      }
    } finally {
      wait.clear();
    }
  }

  async function notify(input: AlertEventInput | AlertEvent, notifyOptions: { signal?: AbortSignal } = {}) {
    const event = asParsedAlertEvent(input) ?? parseAlertEvent(input);
    // One span per notify(), a child span per record; parents are passed explicitly, so the tree
    // holds without a context manager.
    const traced = startNotifySpan(event);
    let report: NotificationReport | undefined;
    try {
      report = await notifyTraced(event, notifyOptions, traced);
      return report;
    } finally {
      endNotifySpan(traced.span, report?.summary);
    }
  }

  async function notifyTraced(
    event: AlertEvent,
    notifyOptions: { signal?: AbortSignal },
    traced: TracedSpan,
  ): Promise<NotificationReport> {
    const { alert } = event;
    // Records made without a delivery (a directory outage, an unknown organization) get a span too.
    const traceRecord = (record: DeliveryRecord) =>
      endDeliverySpan(startDeliverySpan(traced.context, { channel: record.channel }).span, record);
    const base = { organizationId: alert.organizationId, alertId: alert.id, eventType: event.type };
    // One record per routed channel kind, for outcomes that concern the whole organization.
    const organizationWide = (
      fields: Pick<DeliveryRecord, 'status' | 'reason' | 'error'>,
    ): DeliveryRecord[] =>
      ROUTE_KINDS.filter((kind) => options.routes[kind]).map((kind) => ({
        ...base,
        channel: recordChannel[kind],
        target: '-',
        ...fields,
        attempts: 0,
        durationMs: 0,
        at: new Date(),
      }));

    let tenant: TenantConfig | undefined;
    let records: DeliveryRecord[] | undefined;
    try {
      const row: unknown = await options.directory.get(alert.organizationId);
      // What a directory returns is checked once per object: a bad database row fails its
      // deliveries with `config`, naming the field, instead of a TypeError rejecting notify().
      if (row !== undefined && row !== null) tenant = checkTenantConfig(row);
    } catch (caught) {
      // A directory outage is a delivery failure like any other: it goes in the report, and notify()
      // keeps its promise of rejecting only for a malformed event.
      const error = toNotifyError(caught, 'transient');
      records = organizationWide({ status: 'failed', error: { code: error.code, message: error.message } });
    }
    if (records) {
      records.forEach(traceRecord);
      records.forEach(emit);
    } else if (tenant === undefined) {
      records = organizationWide({ status: 'skipped', reason: 'unknown_organization' });
      records.forEach(traceRecord);
      records.forEach(emit);
    } else {
      const config = tenant;
      const { secrets } = factsOf(config);
      // Render once per channel kind, shared by every target of that kind, and only when needed.
      const rendered = new Map<RouteKind, Promise<unknown>>();
      const render = (kind: RouteKind) => {
        let content = rendered.get(kind);
        if (!content) {
          const route = options.routes[kind]!;
          content = Promise.resolve().then(() => route.render(event, config));
          rendered.set(kind, content);
        }
        return content;
      };

      const deliverTo = async (target: PlannedTarget): Promise<DeliveryRecord> => {
        const span = startDeliverySpan(traced.context, {
          channel: recordChannel[target.route],
          route: target.route,
          fingerprint: target.fingerprint,
        });
        const record = await deliverInSpan(target, span);
        endDeliverySpan(span.span, record);
        return record;
      };
      const deliverInSpan = async (target: PlannedTarget, span: TracedSpan): Promise<DeliveryRecord> => {
        const channel = recordChannel[target.route];
        const record = { ...base, channel, target: target.display, at: new Date() };
        if (target.skip || !target.deliver) {
          return {
            ...record,
            status: 'skipped',
            reason: target.skip ?? 'no_route',
            attempts: 0,
            durationMs: 0,
          };
        }
        const deliver = target.deliver;
        const idempotencyKey = deliveryKey(event, target);
        const started = performance.now();
        const failed = (error: NotifyError, attempts = error.attempts ?? 1): DeliveryRecord => ({
          ...record,
          status: 'failed',
          attempts,
          durationMs: Math.round(performance.now() - started),
          // A provider or transport error may quote the webhook URL; records are logged, so strip it.
          error: { code: error.code, message: redactSecrets(error.message, secrets) },
          idempotencyKey,
        });
        const startLimit = () =>
          deadline(
            deliveryTimeoutMs,
            notifyOptions.signal,
            () =>
              new NotifyError(
                `The delivery took longer than deliveryTimeoutMs (${deliveryTimeoutMs} ms) and was stopped`,
                { code: 'timeout', retryable: true },
              ),
          );
        // Store calls are raced against it too: awaited with `.then()` so that a store throwing at
        // once is a rejection, and raced so that a store that never answers (a client queueing
        // commands while Redis is away) cannot hold notify() past the deadline.
        const ask = <T>(call: () => Promise<T>, signal: AbortSignal) =>
          untilAborted(Promise.resolve().then(call), signal);

        // Started before the claim, so that the claim counts against the deadline.
        let limit = startLimit();
        const stopped = (caught: unknown) =>
          limit.expired && limit.error ? limit.error : toNotifyError(caught);
        try {
          if (idempotency) {
            const { store } = idempotency;
            let state: ClaimResult | NotifyError;
            try {
              state = await ask(() => store.claim(idempotencyKey, claimTtlMs), limit.signal);
            } catch (caught) {
              if (limit.signal.aborted) return failed(stopped(caught), 0);
              // The store is down (a Redis outage, say): deliver anyway. An alert sent twice is
              // better than an alert nobody hears about.
              state = 'claimed';
            }
            if (state === 'in_flight') {
              // Waiting has its own ceiling; the delivery then gets its whole deliveryTimeoutMs.
              limit.clear();
              state = await waitForOutcome(store, idempotencyKey, notifyOptions.signal);
              if (state === 'claimed') limit = startLimit();
            }
            if (state === 'delivered')
              return { ...record, status: 'duplicate', attempts: 0, durationMs: 0, idempotencyKey };
            if (isNotifyError(state)) return failed(state, 0);
          }

          let receipt: DeliveryReceipt;
          try {
            // Raced against the deadline: a channel that ignores its signal still ends here.
            receipt = await untilAborted(
              render(target.route).then((content) =>
                // The delivery span is the active one in the channel: retry() adds its events there.
                context.with(span.context, () => deliver(content, { signal: limit.signal, idempotencyKey })),
              ),
              limit.signal,
            );
          } catch (caught) {
            if (idempotency) {
              // Give the key back so that a later try of the same event may send it. Past the
              // deadline the call still goes out, but is not waited for.
              const { store } = idempotency;
              await ask(() => store.release(idempotencyKey), limit.signal).catch(() => {});
            }
            return failed(stopped(caught));
          }
          if (idempotency) {
            // A store that fails or hangs now must not turn a delivered alert into a failure.
            const { store, ttlMs } = idempotency;
            await ask(() => store.complete(idempotencyKey, ttlMs), limit.signal).catch(() => {});
          }
          return {
            ...record,
            status: receipt.refused?.length ? 'partial' : 'delivered',
            attempts: receipt.attempts,
            durationMs: receipt.durationMs,
            providerId: receipt.providerId,
            ...(receipt.refused?.length ? { refused: receipt.refused } : {}),
            idempotencyKey,
          };
        } finally {
          limit.clear();
        }
      };
      let targets: PlannedTarget[] | undefined;
      try {
        targets = planTargets(event, config, options.routes);
      } catch (caught) {
        const error = toNotifyError(caught, 'config');
        records = organizationWide({ status: 'failed', error: { code: error.code, message: error.message } });
        records.forEach(traceRecord);
      }
      // With no more targets than `concurrency` (the usual case) all of them run at once anyway, so
      // plain Promise.all does it without runBatch's workers and iterator.
      if (targets) {
        records =
          targets.length <= concurrency
            ? await Promise.all(targets.map(deliverTo))
            : (await runBatch(targets, deliverTo, { concurrency })).map((r) =>
                r.ok ? r.value : unreachable(r.error),
              );
      }
      records!.forEach(emit);
    }

    const summary: Record<DeliveryStatus, number> = {
      delivered: 0,
      partial: 0,
      failed: 0,
      skipped: 0,
      duplicate: 0,
    };
    for (const r of records!) summary[r.status]++;
    return { ...base, records: records!, summary };
  }

  return { notify };
}

// The task above catches everything; a rejected item would be a bug in this file.
function unreachable(error: unknown): never {
  throw error;
}
