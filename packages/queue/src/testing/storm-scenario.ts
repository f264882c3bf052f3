import type { AlertEventInput, TenantConfigInput } from '@pytake/notify-core';
import type { Redis } from 'ioredis';
import { alertEvent, ceiling, webhookPath } from './fixtures.js';
import type { Receiver } from './webhook-receiver.js';

// What the storm suites (test/storm-crash.test.ts, test/storm-redis-restart.test.ts) share: one
// organization whose webhook storms, worker options for crash tests, the storm's events, and the
// tally of what the webhook was told, message by message.

/** The organization whose webhook storms: more than 10 events in 3 s, digests every 2 s (scaled time). */
export const stormTenant = (base: string): TenantConfigInput => ({
  organizationId: 'org-storm',
  slack: {
    webhooks: [{ url: `${base}${webhookPath(0)}`, name: 'ops' }],
    storm: { threshold: 10, windowMs: 3000, intervalMs: 2000 },
  },
});

/** Worker options for the storm suites: no rate limits, short locks and claims, so that a crash heals fast. */
export const stormWorkerOptions = (concurrency: number) => ({
  limits: { slack: false as const },
  concurrency,
  lockDurationMs: ceiling(2000),
  stalledIntervalMs: ceiling(1000),
  claimTtlMs: ceiling(5000),
  backoff: { baseDelayMs: 50, maxDelayMs: 500 },
});

/** Event `n` of the storm, critical every `criticalEvery`-th (those go alone). */
export const stormEvent = (n: number, criticalEvery: number): AlertEventInput => {
  const event = alertEvent(n, 'org-storm');
  const severity = n % criticalEvery === 0 ? 'critical' : 'medium';
  return { ...event, alert: { ...event.alert, severity } } as AlertEventInput;
};

/** Whether `alert` (`alert-<n>`) is one of the storm's criticals. */
export const isCritical = (alert: string, criticalEvery: number) =>
  Number(alert.slice('alert-'.length)) % criticalEvery === 0;

/**
 * The alerts each request the receiver accepted on `path` told of, by idempotency key (a resend
 * repeats its key). The test renderers write `digest alert-1,alert-2` or `... #<n>`.
 */
export function toldByKey(receiver: Receiver, path: string): Map<string, string[]> {
  const byKey = new Map<string, string[]>();
  for (const r of receiver.accepted().filter((r) => r.path === path)) {
    const text = (JSON.parse(r.body) as { text: string }).text;
    const alerts = text.startsWith('digest ')
      ? text.slice('digest '.length).split(',')
      : [`alert-${text.slice(text.indexOf('#') + 1)}`];
    byKey.set(r.key, alerts);
  }
  return byKey;
}

/** The messages a webhook was told, sorted out: alone or digests, and the alerts told other than once. */
export function tallyStorm(told: Map<string, string[]>) {
  const messagesOf = new Map<string, string[]>(); // alert → the keys of the messages that told of it
  for (const [key, alerts] of told) {
    for (const alert of alerts) messagesOf.set(alert, [...(messagesOf.get(alert) ?? []), key]);
  }
  const digests = [...told.keys()].filter((key) => key.includes(':digest:'));
  const alone = [...told.keys()].filter((key) => !key.includes(':digest:'));
  return {
    messagesOf,
    twice: [...messagesOf].filter(([, keys]) => keys.length !== 1),
    digests,
    alone,
    aloneAlerts: alone.flatMap((key) => told.get(key)!),
  };
}

/** A record of the records stream, as the storm suites read it. */
export interface StreamRecord {
  alertId: string;
  status: string;
  digestId?: string;
}

/** Every record of the queue's records stream (default prefix), oldest first. */
export const readStreamRecords = async (client: Redis): Promise<StreamRecord[]> =>
  (await client.xrange('{pytake-notify}:records', '-', '+')).map(
    ([, fields]) => JSON.parse(fields[1]!) as StreamRecord,
  );

/** Whether every `digested` record has its digest's `delivered` record for the same alert. */
export const foldedSettled = (records: StreamRecord[]) =>
  records
    .filter((r) => r.status === 'digested')
    .every((f) =>
      records.some((r) => r.alertId === f.alertId && r.status === 'delivered' && r.digestId === f.digestId),
    );
