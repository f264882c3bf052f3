import { setMaxListeners } from 'node:events';
import {
  type AlertEvent,
  createNotifier,
  createStaticDirectory,
  type DeliveryRecord,
} from '@pytake/notify-core';
import { createSlackWebhookChannel } from '@pytake/notify-slack';
import { renderSlackDigestForTenant, renderSlackForTenant } from '@pytake/notify-templates';
import { fixtures } from '@pytake/notify-templates/fixtures';
import { ms, type Result, type Row, until } from '../harness.js';
import { startStormReceiver } from '../servers/storm-receiver.js';

/** Slack's limits and the storm's intervals run this many times faster than real time. */
const SCALE = 20;
const DIGEST = {
  events: 500,
  criticals: 10,
  /** The events arrive evenly over this. */
  arrivalMs: 5000,
  /** Slack's 1 message per second, burst 5, time-scaled: the channel's limiter and the receiver's. */
  perSecond: 1 * SCALE,
  burst: 5,
  storm: { threshold: 10, windowMs: 3000, intervalMs: 3000 },
  /** The bar, with storm control on. */
  maxMessages: 25,
  /**
   * The bar's 1 s, in the scaled run's time like the intervals (20 s of Slack's): what each alert may
   * take beyond its interval, and a critical at most.
   */
  marginMs: 1000,
} as const;

/** The alert id as an alert message (its button's value and link) and a digest (its link) carry it. */
const ALERT_ID = /sd-\d+/g;
/** A digest's count of its alerts, from its notification text: `🟡 240 alerts in Acme Corp: ...`. */
const DIGEST_TOTAL = /([\d,]+) alerts? in /;

interface Post {
  at: number;
  ids: Set<string>;
  /** The count a digest states (named or in its "…and N more"), if the post is a digest. */
  total?: number;
}

interface Run {
  /** Messages the receiver accepted. */
  messages: number;
  /** Alerts visible in the channel (alone, or in a digest the receiver accepted). */
  visible: number;
  /** Worst accepted time − arrival time of an alert, ms. */
  worstMs: number;
  /** From the first arrival to the last alert visible, ms. */
  spanMs: number;
  worstCriticalMs: number;
  /** Each critical's accepted time − arrival time, in arrival order, ms. */
  criticalsMs: number[];
  digests: { id: string; alerts: number; named: number; stated?: number; acceptedAtMs?: number }[];
  /** Digest records that reached onDelivery only during close(): digests held past the wait. */
  flushedByClose: number;
  repeated429s: number;
  first429s: number;
  /** When the receiver had the first post, ms after the first arrival: where its bucket starts. */
  firstPostAtMs: number;
  /** When each 429 was answered, ms after the first arrival. */
  limitedAtMs: number[];
  cut: boolean;
}

const base = fixtures['created-medium'];
/** Event i of the storm: its own alert, linked by its id; every 50th is critical. */
function stormEvent(i: number): AlertEvent {
  const every = DIGEST.events / DIGEST.criticals;
  const severity = i % every === every / 2 ? 'critical' : 'medium';
  const id = `sd-${i}`;
  return {
    ...base,
    alert: { ...base.alert, id, severity, url: `https://app.pytake.net/alerts/${id}` },
  } as AlertEvent;
}

/**
 * One run: the events fired at their arrival times (not waiting for earlier ones) through one
 * webhook, then a wait until every alert has its final record, then `close()`.
 */
async function runStorm(stormOn: boolean, deadlineMs: number): Promise<Run> {
  const end = performance.now() + deadlineMs;
  const posts: Post[] = [];
  const limitedAt: number[] = [];
  const sink = await startStormReceiver({
    perSecond: DIGEST.perSecond,
    burst: DIGEST.burst,
    onPost: ({ body, at, accepted }) => {
      if (!accepted) {
        limitedAt.push(at);
        return;
      }
      const text = (JSON.parse(body) as { text?: string }).text ?? '';
      const total = DIGEST_TOTAL.exec(text)?.[1];
      posts.push({
        at,
        ids: new Set(body.match(ALERT_ID)),
        ...(total ? { total: Number(total.replace(/,/g, '')) } : {}),
      });
    },
  });
  try {
    const records: DeliveryRecord[] = [];
    let closing = false;
    let flushedByClose = 0;
    const notifier = createNotifier({
      directory: createStaticDirectory([
        {
          organizationId: base.alert.organizationId,
          slack: {
            webhooks: [{ url: sink.url('/services/T0/B0/secret') }],
            storm: stormOn ? DIGEST.storm : false,
          },
        },
      ]),
      deliveryTimeoutMs: Math.round(deadlineMs),
      onDelivery: (record) => {
        records.push(record);
        if (closing && record.digestId && record.status !== 'digested') flushedByClose++;
      },
      routes: {
        slack: {
          channel: createSlackWebhookChannel({
            allowedHosts: ['127.0.0.1'],
            retry: { maxAttempts: 5 },
            rateLimit: { perSecond: DIGEST.perSecond, burst: DIGEST.burst },
          }),
          render: renderSlackForTenant,
          renderDigest: renderSlackDigestForTenant,
        },
      },
    });
    const signal = AbortSignal.timeout(Math.round(deadlineMs));
    setMaxListeners(DIGEST.events * 4, signal);

    // Event i at t0 + i × pace: a late timer does not push the next arrivals back.
    const arrivals = new Map<string, { at: number; critical: boolean }>();
    const sends: Promise<unknown>[] = [];
    const pace = DIGEST.arrivalMs / DIGEST.events;
    const t0 = performance.now();
    for (let i = 0; i < DIGEST.events && !signal.aborted; i++) {
      const wait = t0 + i * pace - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      const event = stormEvent(i);
      arrivals.set(event.alert.id, { at: performance.now(), critical: event.alert.severity === 'critical' });
      sends.push(notifier.notify(event, { signal }).catch(() => {}));
    }
    await Promise.all(sends);
    // Every alert's final record: sent alone (or failed), or the outcome of the digest it was folded into.
    const final = () => records.filter((r) => r.status !== 'digested').length;
    const done = await until(() => final() >= arrivals.size, Math.max(0, end - performance.now()), 10);
    closing = true;
    await notifier.close();
    const cut = signal.aborted || !done;

    // When each alert became visible: the post naming it when it went alone; when it was folded,
    // the post of its digest, found through the digest's delivered records (one per folded event,
    // with digestId): the accepted post that names any of the digest's alerts is the digest.
    const visibleAt = new Map<string, number>();
    for (const record of records) {
      if (record.status !== 'delivered' || record.digestId) continue;
      const post = posts.find((p) => p.ids.has(record.alertId));
      if (post) visibleAt.set(record.alertId, post.at);
    }
    const byDigest = new Map<string, string[]>();
    for (const record of records) {
      if (record.status !== 'delivered' || !record.digestId) continue;
      byDigest.set(record.digestId, [...(byDigest.get(record.digestId) ?? []), record.alertId]);
    }
    const digests: Run['digests'] = [];
    for (const [id, alertIds] of byDigest) {
      const alerts = new Set(alertIds);
      const post = posts.find((p) => p.total !== undefined && [...p.ids].some((a) => alerts.has(a)));
      if (post) for (const a of alerts) if (!visibleAt.has(a)) visibleAt.set(a, post.at);
      digests.push({
        id,
        alerts: alerts.size,
        named: post ? [...post.ids].filter((a) => alerts.has(a)).length : 0,
        ...(post ? { stated: post.total, acceptedAtMs: post.at - t0 } : {}),
      });
    }

    let worstMs = 0;
    const criticalsMs: number[] = [];
    let lastAt = t0;
    for (const [id, arrival] of arrivals) {
      const at = visibleAt.get(id);
      if (at === undefined) continue;
      worstMs = Math.max(worstMs, at - arrival.at);
      if (arrival.critical) criticalsMs.push(at - arrival.at);
      lastAt = Math.max(lastAt, at);
    }
    const firstAt = Math.min(...[...arrivals.values()].map((a) => a.at));
    return {
      messages: sink.accepted(),
      visible: visibleAt.size,
      worstMs,
      spanMs: lastAt - firstAt,
      worstCriticalMs: Math.max(0, ...criticalsMs),
      criticalsMs,
      digests,
      flushedByClose,
      repeated429s: sink.repeated429s(),
      first429s: sink.first429s(),
      firstPostAtMs: (posts[0]?.at ?? Number.NaN) - t0,
      limitedAtMs: limitedAt.map((at) => at - t0),
      cut,
    };
  } finally {
    await sink.close();
  }
}

/** `3.04 s (60.8 s real)`: a scaled time, and the same in Slack's real units. */
const both = (value: number) => `${ms(value)} (${ms(value * SCALE)} real)`;

function runResult(name: string, r: Run, bar: boolean): Result {
  const boundMs = DIGEST.storm.intervalMs + DIGEST.marginMs;
  const all = r.visible === DIGEST.events;
  const pass =
    !r.cut &&
    all &&
    r.messages <= DIGEST.maxMessages &&
    r.worstMs <= boundMs &&
    r.worstCriticalMs <= DIGEST.marginMs;
  const digests = r.digests
    .map(
      (d) =>
        `${d.alerts} alerts (${d.named} named, ${d.stated ?? '?'} stated) accepted at ${d.acceptedAtMs === undefined ? 'never' : ms(d.acceptedAtMs)}`,
    )
    .join('; ');
  return {
    name,
    ours: `${r.messages} msgs, worst ${both(r.worstMs)}, all in ${both(r.spanMs)}, critical ${both(r.worstCriticalMs)}`,
    raw: `${r.visible} of ${DIGEST.events} alerts visible`,
    ratio: all ? r.worstMs / boundMs : Number.NaN,
    ratioOf: 'worst / (intervalMs + 1 s)',
    bar: bar
      ? `<= 1, <= ${DIGEST.maxMessages} msgs, critical <= ${ms(DIGEST.marginMs)}, all visible`
      : 'report',
    pass: bar ? pass : null,
    note: `first post in at ${ms(r.firstPostAtMs)}; ${r.limitedAtMs.length} 429s${r.limitedAtMs.length ? ` (at ${r.limitedAtMs.map(ms).join(', ')})` : ''}; criticals visible after ${r.criticalsMs.map(ms).join(', ')}; ${r.digests.length} digests${digests ? `: ${digests}` : ''}; ${r.flushedByClose} digest records sent by close()${r.cut ? '; cut short by the ceiling' : ''}`,
    data: { ...r, scale: SCALE, boundMs },
  };
}

/**
 * A storm on one webhook at Slack's limits, time-scaled by 20, with storm control off (every event
 * alone) and on (digests). An alert is visible when the receiver accepted a post that carries it:
 * its own message, or the digest it was folded into. A digest names only the alerts that fit and
 * counts the rest in "…and N more", so the alerts of a digest are taken from its delivered records
 * (`onDelivery`, status delivered with `digestId`, one per folded event), not from its text; the
 * webhook sends no idempotency key or digest id, so the digest's post is the accepted one that
 * names any of those alerts.
 */
export const stormDigestRow: Row = {
  name: 'storm-digest',
  what: `storm control off / on: ${DIGEST.events} events (${DIGEST.criticals} critical) over ${DIGEST.arrivalMs / 1000} s to one webhook at ${DIGEST.perSecond}/s (Slack's 1/s scaled by ${SCALE}), threshold ${DIGEST.storm.threshold}, window and interval ${DIGEST.storm.intervalMs / 1000} s`,
  ceilingMs: 50_000,
  async run(b) {
    // Off needs about 25 s (500 posts at 20/s), on about 6 s: off may take what on leaves it.
    const off = await runStorm(false, Math.max(1000, b.left() - 15_000));
    if (off.cut) b.hit('storm control off did not finish');
    const on = await runStorm(true, Math.max(1000, b.left() - 1000));
    if (on.cut) b.hit('storm control on did not finish');
    return [
      runResult('storm digest, storm control off', off, false),
      runResult('storm digest, storm control on', on, true),
    ];
  },
};
