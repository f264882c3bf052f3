import type { InProcessSource } from '@pytake/notify-console';
import { type DeliveryRecord, type DeliveryStats, redactAddress, redactSecrets } from '@pytake/notify-core';
import type { AlertStore } from './alert-store.js';
import type { BoundedList } from './bounded-list.js';
import type { LiveEvents } from './live-events.js';
import type { PreviewMetrics } from './metrics.js';
import type { Outbox } from './outbox.js';

export interface DeliverySinkOptions {
  /** Removed from every record's error text (the signing secret, the SMTP password…). */
  secrets: readonly (string | undefined)[];
  alerts: AlertStore;
  outbox: Outbox;
  deliveries: BoundedList<DeliveryRecord>;
  consoleSource: InProcessSource;
  metrics: PreviewMetrics;
  stats: DeliveryStats;
  live: LiveEvents;
}

/** What a delivery record comes with: the secrets of its send and what the app knows of it. */
export interface DeliveryDetails {
  /** Secrets of this send only (a typed address, a typed webhook and its path). */
  extra?: readonly (string | undefined)[];
  /** The alert store's entry of the record's event. */
  entryId?: string;
  /** The subject of the email the record is about. */
  emailSubject?: string;
}

/** Where every delivery record goes: the alert store, the delivery log, the console, the metrics, the browsers. */
export function createDeliverySink(options: DeliverySinkOptions) {
  const { alerts, outbox, live } = options;
  // A record's error text may quote a target (an SMTP reply naming the mailbox): typed targets are
  // removed like the configured secrets before a record reaches the log, the metrics or the answer.
  // Targets are shown as `d…@preview.local` even where core's record still has the whole address.
  const safeRecord = (record: DeliveryRecord, extra: readonly (string | undefined)[] = []) => {
    const target = record.target.replace(/[^\s@…]+@[^\s@]+/g, (address) => redactAddress(address));
    if (!record.error) return { ...record, target };
    const message = redactSecrets(record.error.message, [...options.secrets, ...extra]);
    return { ...record, target, error: { ...record.error, message } };
  };
  const onDelivery = (record: DeliveryRecord, details: DeliveryDetails = {}) => {
    const { extra = [], entryId } = details;
    const safe = safeRecord(record, extra);
    if (entryId) alerts.recordDelivery(entryId, safe);
    // A Web API message can be changed later (chat.update): remember where it is. The record names
    // its channel only for display (`alerts (C0PREVIEW)`, or the bare id of an unnamed channel); the
    // id is on the fake Slack's copy of the message, captured before chat.postMessage answered this
    // ts. Every Web API send of the app goes to that fake (fakeSlackApi), whose ts are unique.
    const ts = safe.channel === 'slack-api' && safe.status === 'delivered' ? safe.providerId : undefined;
    if (entryId && ts) {
      const posted = outbox.list().find((e) => e.kind === 'slack' && e.via === 'api' && e.ts === ts);
      if (posted?.kind === 'slack' && posted.channel)
        alerts.addMessage(safe.alertId, { channel: posted.channel, ts, entryId });
    }
    options.deliveries.add(safe);
    const emailSubject =
      details.emailSubject && redactSecrets(details.emailSubject, [...options.secrets, ...extra]);
    options.consoleSource.record(safe, emailSubject ? { emailSubject } : undefined);
    options.metrics.record(safe);
    options.stats.record(safe);
    live.publish({ type: 'delivery', data: safe });
  };
  return { safeRecord, onDelivery };
}
