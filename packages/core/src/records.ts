import type { DeliveryRecord, DeliveryStatus, NotificationReport } from './delivery-record.js';
import type { AlertEvent } from './events.js';
import { type RouteKind, recordChannel } from './routes.js';

/** The fields every record of `event` through `route` shares. */
export const recordBase = (event: AlertEvent, route: RouteKind) => ({
  organizationId: event.alert.organizationId,
  alertId: event.alert.id,
  eventType: event.type,
  channel: recordChannel[route],
});

/**
 * One record per route kind for an outcome that concerns the whole organization (a directory
 * outage, an unknown organization, an invalid config): no target was planned, so `target` is `-`.
 */
export function organizationRecords(
  event: AlertEvent,
  kinds: readonly RouteKind[],
  fields: Pick<DeliveryRecord, 'status' | 'reason' | 'error'> & { attempts?: number },
): DeliveryRecord[] {
  return kinds.map((kind) => ({
    ...recordBase(event, kind),
    target: '-',
    attempts: 0,
    ...fields,
    durationMs: 0,
    at: new Date(),
  }));
}

/** The report of one event: its records and their counts by status. */
export function reportOf(event: AlertEvent, records: DeliveryRecord[]): NotificationReport {
  const summary: Record<DeliveryStatus, number> = {
    delivered: 0,
    partial: 0,
    failed: 0,
    skipped: 0,
    duplicate: 0,
    digested: 0,
  };
  for (const r of records) summary[r.status]++;
  const { alert } = event;
  return { organizationId: alert.organizationId, alertId: alert.id, eventType: event.type, records, summary };
}
