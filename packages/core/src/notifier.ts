import { runBatch } from './batch.js';
import type { DeliveryRecord, DeliveryStatus, NotificationReport } from './delivery-record.js';
import { toNotifyError } from './errors.js';
import { type AlertEvent, type AlertEventInput, parseAlertEvent } from './events.js';
import { createMemoryIdempotencyStore, type IdempotencyStore } from './idempotency.js';
import { asParsedAlertEvent } from './parsed-alert-event.js';
import { deliveryKey, factsOf, type PlannedTarget, planTargets } from './plan-targets.js';
import { redactSecrets } from './redact.js';
import { ROUTE_KINDS, type RouteKind, type Routes, recordChannel } from './routes.js';
import type { TenantConfig, TenantDirectory } from './tenant.js';

export interface NotifierOptions<SlackMessage = unknown> {
  directory: TenantDirectory;
  routes: Routes<SlackMessage>;
  /** Duplicate suppression; `false` turns it off. @default in-memory store, 24 h TTL */
  idempotency?: false | { store?: IdempotencyStore; ttlMs?: number };
  /** Called for every record, for metrics and audit logs. Errors thrown here are ignored. */
  onDelivery?: (record: DeliveryRecord) => void;
  /** Targets delivered at once for one event. @default 8 */
  concurrency?: number;
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

export const notifierDefaults = { idempotencyTtlMs: 24 * 60 * 60 * 1000, concurrency: 8 } as const;

/** Creates the notifier that routes each event to each organization's recipients and webhooks. */
export function createNotifier<SlackMessage = unknown>(options: NotifierOptions<SlackMessage>): Notifier {
  const idempotency =
    options.idempotency === false
      ? undefined
      : {
          store: options.idempotency?.store ?? createMemoryIdempotencyStore(),
          ttlMs: options.idempotency?.ttlMs ?? notifierDefaults.idempotencyTtlMs,
        };
  const concurrency = options.concurrency ?? notifierDefaults.concurrency;

  const emit = (record: DeliveryRecord) => {
    try {
      options.onDelivery?.(record);
    } catch {
      // A broken metrics hook must not turn a delivered alert into a failed notify().
    }
  };

  async function notify(input: AlertEventInput | AlertEvent, notifyOptions: { signal?: AbortSignal } = {}) {
    const event = asParsedAlertEvent(input) ?? parseAlertEvent(input);
    const { alert } = event;
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
    let records: DeliveryRecord[];
    try {
      tenant = await options.directory.get(alert.organizationId);
    } catch (caught) {
      // A directory outage is a delivery failure like any other: it goes in the report, and notify()
      // keeps its promise of rejecting only for a malformed event.
      const error = toNotifyError(caught, 'transient');
      records = organizationWide({ status: 'failed', error: { code: error.code, message: error.message } });
    }
    if (tenant === undefined) {
      records ??= organizationWide({ status: 'skipped', reason: 'unknown_organization' });
      records.forEach(emit);
    } else {
      const { secrets } = factsOf(tenant);
      // Render once per channel kind, shared by every target of that kind, and only when needed.
      const rendered = new Map<RouteKind, Promise<unknown>>();
      const render = (kind: RouteKind) => {
        let content = rendered.get(kind);
        if (!content) {
          const route = options.routes[kind]!;
          content = Promise.resolve().then(() => route.render(event, tenant));
          rendered.set(kind, content);
        }
        return content;
      };

      const deliverTo = async (target: PlannedTarget): Promise<DeliveryRecord> => {
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
        const idempotencyKey = deliveryKey(event, target);
        let claim = 'claimed';
        try {
          if (idempotency) claim = await idempotency.store.claim(idempotencyKey, idempotency.ttlMs);
        } catch {
          // The store is down (a Redis outage, say): deliver anyway. An alert sent twice is better
          // than an alert nobody hears about.
        }
        // TODO(issue 11.5): wait for an `in_flight` delivery's outcome instead of calling it a duplicate.
        if (claim !== 'claimed')
          return { ...record, status: 'duplicate', attempts: 0, durationMs: 0, idempotencyKey };
        const started = performance.now();
        try {
          const receipt = await target.deliver(await render(target.route), {
            signal: notifyOptions.signal,
            idempotencyKey,
          });
          if (idempotency) {
            await Promise.resolve(idempotency.store.complete(idempotencyKey, idempotency.ttlMs)).catch(
              () => {},
            );
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
        } catch (caught) {
          // Give the key back so that a later try of the same event may send it.
          if (idempotency) await Promise.resolve(idempotency.store.release(idempotencyKey)).catch(() => {});
          const error = toNotifyError(caught);
          return {
            ...record,
            status: 'failed',
            attempts: error.attempts ?? 1,
            durationMs: Math.round(performance.now() - started),
            // A provider or transport error may quote the webhook URL; records are logged, so strip it.
            error: { code: error.code, message: redactSecrets(error.message, secrets) },
            idempotencyKey,
          };
        }
      };
      const targets = planTargets(event, tenant, options.routes);
      // With no more targets than `concurrency` (the usual case) all of them run at once anyway, so
      // plain Promise.all does it without runBatch's workers and iterator.
      records =
        targets.length <= concurrency
          ? await Promise.all(targets.map(deliverTo))
          : (await runBatch(targets, deliverTo, { concurrency })).map((r) =>
              r.ok ? r.value : unreachable(r.error),
            );
      records.forEach(emit);
    }

    const summary: Record<DeliveryStatus, number> = {
      delivered: 0,
      partial: 0,
      failed: 0,
      skipped: 0,
      duplicate: 0,
    };
    for (const r of records) summary[r.status]++;
    return { ...base, records, summary };
  }

  return { notify };
}

// The task above catches everything; a rejected item would be a bug in this file.
function unreachable(error: unknown): never {
  throw error;
}
