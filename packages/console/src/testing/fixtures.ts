import { type AlertEvent, type DeliveryRecord, parseAlertEvent } from '@pytake/notify-core';

/** A valid alert event as a service would notify it; `alert` fields override the defaults. */
export function alertEvent(
  alert: {
    id: string;
    organizationId: string;
    title?: string;
    severity?: 'critical' | 'high' | 'medium' | 'low';
  },
  type: 'alert.created' | 'alert.resolved' | 'alert.stale' = 'alert.created',
): AlertEvent {
  const createdAt = '2026-03-01T10:00:00Z';
  return parseAlertEvent({
    type,
    occurredAt: type === 'alert.stale' ? '2026-03-01T12:00:00Z' : '2026-03-01T10:00:05Z',
    ...(type === 'alert.stale' ? { lastActivityAt: '2026-03-01T10:00:05Z' } : {}),
    alert: {
      title: `Disk almost full on ${alert.id}`,
      severity: 'high',
      category: 'infra',
      createdAt,
      ...alert,
    },
  });
}

/** A delivery record of that event, as core's notifier hands it to `onDelivery`. */
export function deliveryRecord(event: AlertEvent, overrides: Partial<DeliveryRecord> = {}): DeliveryRecord {
  return {
    organizationId: event.alert.organizationId,
    alertId: event.alert.id,
    eventType: event.type,
    channel: 'slack',
    target: 'hooks.slack.com/…a1b2',
    status: 'delivered',
    attempts: 1,
    durationMs: 12,
    at: new Date('2026-03-01T10:00:06Z'),
    ...overrides,
  };
}
