import { setMaxListeners } from 'node:events';
import { createNotifier, createStaticDirectory } from '@pytake/notify-core';
import { createSlackWebhookChannel } from '@pytake/notify-slack';
import { renderSlackForTenant } from '@pytake/notify-templates';
import { fixtures } from '@pytake/notify-templates/fixtures';
import type { Result, Row } from '../harness.js';
import { STORM, startStormReceiver, stormIdealSeconds } from '../servers/storm-receiver.js';

/** The storm's result line, shared with the queue's storm row. */
export function stormResult(
  name: string,
  r: {
    seconds: number;
    delivered: number;
    /** Posts the receiver answered 200: more than `delivered` when a client timed out and sent again. */
    accepted: number;
    repeated429s: number;
    first429s: number;
    cut: boolean;
  },
): Result {
  // A storm cut at the ceiling has no time to compare: it did not finish.
  const ratio = r.cut ? Number.NaN : r.seconds / stormIdealSeconds;
  return {
    name,
    ours: `${r.cut ? 'cut at ' : ''}${r.seconds.toFixed(1)} s, ${r.delivered} delivered, ${r.repeated429s} repeated 429s`,
    raw: `ideal ${stormIdealSeconds} s, 0 repeated 429s`,
    ratio,
    ratioOf: 'ours/ideal time',
    bar: '<= 1.2, 0 repeated 429s',
    pass: !r.cut && r.delivered === STORM.events && ratio <= 1.2 && r.repeated429s === 0,
    note: `${r.first429s} webhooks got a first 429; the receiver accepted ${r.accepted} posts for ${r.delivered} deliveries${r.cut ? '; cut short by the ceiling' : ''}`,
    data: { ...r, idealSeconds: stormIdealSeconds },
  };
}

/**
 * An alert storm in process: 1,000 events for 50 organizations, one webhook each, through
 * `notify()` with the Slack channel's rate limiter, against a receiver that allows 1/s, burst 5.
 */
export const stormRow: Row = {
  name: 'storm',
  what: `storm in process: ${STORM.events} events, ${STORM.orgs} webhooks at ${STORM.perSecond}/s (burst ${STORM.burst}) through notify(), vs the ideal`,
  ceilingMs: 35_000,
  async run(b) {
    const sink = await startStormReceiver();
    try {
      const tenants = Array.from({ length: STORM.orgs }, (_, i) => ({
        organizationId: `org-${i}`,
        slack: { webhooks: [{ url: sink.url(`/services/T${i}/B${i}/secret${i}`) }] },
      }));
      const notifier = createNotifier({
        directory: createStaticDirectory(tenants),
        deliveryTimeoutMs: Math.round(b.left()),
        routes: {
          slack: {
            channel: createSlackWebhookChannel({ allowedHosts: ['127.0.0.1'], retry: { maxAttempts: 5 } }),
            render: renderSlackForTenant,
          },
        },
      });
      const base = fixtures['created-high'];
      const events = Array.from({ length: STORM.events }, (_, i) => ({
        ...base,
        alert: { ...base.alert, id: `storm-${i}`, organizationId: `org-${i % STORM.orgs}` },
      }));
      const signal = AbortSignal.timeout(Math.round(Math.max(1000, b.left() - 1000)));
      // One signal for the 1,000 concurrent notify() calls: each adds its listener.
      setMaxListeners(STORM.events * 4, signal);
      const t0 = performance.now();
      const reports = await Promise.all(events.map((e) => notifier.notify(e, { signal })));
      const seconds = (performance.now() - t0) / 1000;
      if (signal.aborted) b.hit('storm aborted at the ceiling');
      const delivered = reports.reduce((n, r) => n + r.summary.delivered, 0);
      return [
        stormResult('storm, in process', {
          seconds,
          delivered,
          accepted: sink.accepted(),
          repeated429s: sink.repeated429s(),
          first429s: sink.first429s(),
          cut: signal.aborted,
        }),
      ];
    } finally {
      await sink.close();
    }
  },
};
