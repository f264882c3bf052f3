import { startWebhookSink, type WebhookSink } from './webhook-sink.js';

export const STORM = { orgs: 50, events: 1000, perSecond: 1, burst: 5 } as const;

export interface StormReceiver extends WebhookSink {
  /** Posts answered 200. */
  accepted(): number;
  /** 429s per webhook after its first: a client that waits as told has none. */
  repeated429s(): number;
  /** Webhooks that got at least one 429. */
  first429s(): number;
}

/**
 * A webhook receiver that keeps each webhook to 1 message per second with a burst of 5 (a token
 * bucket, like Slack) and answers 429 with Retry-After past that.
 */
export async function startStormReceiver(): Promise<StormReceiver> {
  const buckets = new Map<string, { tokens: number; at: number; rejected: number }>();
  let accepted = 0;
  const sink = await startWebhookSink((path, _req, res) => {
    const now = performance.now() / 1000;
    const b = buckets.get(path) ?? { tokens: STORM.burst, at: now, rejected: 0 };
    buckets.set(path, b);
    b.tokens = Math.min(STORM.burst, b.tokens + (now - b.at) * STORM.perSecond);
    b.at = now;
    if (b.tokens >= 1) {
      b.tokens -= 1;
      accepted++;
      res.writeHead(200).end('ok');
    } else {
      b.rejected++;
      const wait = Math.max(1, Math.ceil((1 - b.tokens) / STORM.perSecond));
      res.writeHead(429, { 'retry-after': String(wait) }).end('rate_limited');
    }
  });
  const rejected = () => [...buckets.values()].map((b) => b.rejected);
  return {
    ...sink,
    accepted: () => accepted,
    repeated429s: () => rejected().reduce((n, r) => n + Math.max(0, r - 1), 0),
    first429s: () => rejected().filter((r) => r > 0).length,
  };
}

/** The ideal: the longest per-webhook queue (20 posts) at 1 per second, as earlier runs defined it. */
export const stormIdealSeconds = Math.ceil(STORM.events / STORM.orgs) / STORM.perSecond;
