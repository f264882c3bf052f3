import { createNotifier, createStaticDirectory } from '@pytake/notify-core';
import { createSlackWebhookChannel } from '@pytake/notify-slack';
import { renderSlackForTenant } from '@pytake/notify-templates';
import { fixtures } from '@pytake/notify-templates/fixtures';
import { startWebhookSink } from '../servers/webhook-sink.js';

export interface StormResult {
  events: number;
  organizations: number;
  seconds: number;
  idealSeconds: number;
  ratioToIdeal: number;
  delivered: number;
  first429s: number;
  repeated429s: number;
  pass: boolean;
}

const ORGS = 50;
const EVENTS = 1000;
const PER_SECOND = 1;
const BURST = 5;

/**
 * An alert storm: 1,000 events for 50 organizations, one webhook each, against a server that keeps
 * each webhook to 1 message per second with a burst of 5 (a token bucket, like Slack) and answers 429
 * with Retry-After past that. Ideal: the longest per-webhook queue at 1 per second.
 */
export async function storm(): Promise<StormResult> {
  const buckets = new Map<string, { tokens: number; at: number; rejected: number }>();
  const sink = await startWebhookSink((path, _req, res) => {
    const now = performance.now() / 1000;
    const b = buckets.get(path) ?? { tokens: BURST, at: now, rejected: 0 };
    buckets.set(path, b);
    b.tokens = Math.min(BURST, b.tokens + (now - b.at) * PER_SECOND);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      res.writeHead(200).end('ok');
    } else {
      b.rejected++;
      const wait = Math.max(1, Math.ceil((1 - b.tokens) / PER_SECOND));
      res.writeHead(429, { 'retry-after': String(wait) }).end('rate_limited');
    }
  });

  const tenants = Array.from({ length: ORGS }, (_, i) => ({
    organizationId: `org-${i}`,
    slack: { webhooks: [{ url: sink.url(`/services/T${i}/B${i}/secret${i}`) }] },
  }));
  const notifier = createNotifier({
    directory: createStaticDirectory(tenants),
    routes: {
      slack: {
        channel: createSlackWebhookChannel({ allowedHosts: ['127.0.0.1'], retry: { maxAttempts: 5 } }),
        render: renderSlackForTenant,
      },
    },
  });
  const base = fixtures['created-high'];
  const events = Array.from({ length: EVENTS }, (_, i) => ({
    ...base,
    alert: { ...base.alert, id: `storm-${i}`, organizationId: `org-${i % ORGS}` },
  }));

  const t0 = performance.now();
  const reports = await Promise.all(events.map((e) => notifier.notify(e)));
  const seconds = (performance.now() - t0) / 1000;
  await sink.close();

  const delivered = reports.reduce((n, r) => n + r.summary.delivered, 0);
  const rejected = [...buckets.values()].map((b) => b.rejected);
  const idealSeconds = Math.ceil(EVENTS / ORGS) / PER_SECOND;
  const repeated429s = rejected.reduce((n, r) => n + Math.max(0, r - 1), 0);
  const ratioToIdeal = seconds / idealSeconds;
  return {
    events: EVENTS,
    organizations: ORGS,
    seconds: Math.round(seconds * 10) / 10,
    idealSeconds,
    ratioToIdeal: Math.round(ratioToIdeal * 100) / 100,
    delivered,
    first429s: rejected.filter((r) => r > 0).length,
    repeated429s,
    pass: delivered === EVENTS && ratioToIdeal <= 1.2 && repeated429s === 0,
  };
}
