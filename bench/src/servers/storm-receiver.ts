import { startWebhookSink, type WebhookSink } from './webhook-sink.js';

export const STORM = { orgs: 50, events: 1000, perSecond: 1, burst: 5 } as const;

export interface StormReceiverOptions {
  /** Messages per second per webhook. @default STORM.perSecond */
  perSecond?: number;
  /** Messages a webhook may take at once. @default STORM.burst */
  burst?: number;
  /**
   * Called for each post once answered, with its body, when it was in (`performance.now()`) and
   * whether it was accepted (200) or limited (429); the body is read only when this is given.
   */
  onPost?: (post: { path: string; body: string; at: number; accepted: boolean }) => void;
}

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
 * bucket, like Slack; other limits through `options`) and answers 429 with Retry-After past that.
 * Retry-After is in whole seconds, as Slack sends it, so at least 1.
 */
export async function startStormReceiver(options: StormReceiverOptions = {}): Promise<StormReceiver> {
  const { perSecond = STORM.perSecond, burst = STORM.burst, onPost } = options;
  const buckets = new Map<string, { tokens: number; at: number; rejected: number }>();
  let accepted = 0;
  const sink = await startWebhookSink(
    (path, _req, res, body) => {
      const at = performance.now();
      const now = at / 1000;
      const b = buckets.get(path) ?? { tokens: burst, at: now, rejected: 0 };
      buckets.set(path, b);
      b.tokens = Math.min(burst, b.tokens + (now - b.at) * perSecond);
      b.at = now;
      const ok = b.tokens >= 1;
      onPost?.({ path, body, at, accepted: ok });
      if (ok) {
        b.tokens -= 1;
        accepted++;
        res.writeHead(200).end('ok');
      } else {
        b.rejected++;
        const wait = Math.max(1, Math.ceil((1 - b.tokens) / perSecond));
        res.writeHead(429, { 'retry-after': String(wait) }).end('rate_limited');
      }
    },
    { body: onPost !== undefined },
  );
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
