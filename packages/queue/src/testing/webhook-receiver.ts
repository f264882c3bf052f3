import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the receiver took. */
export interface Received {
  path: string;
  key: string;
  at: number;
  status: number;
  /** The request's body, as text. */
  body: string;
}

export interface ReceiverOptions {
  /** Answers 429 with Retry-After from its own bucket per path (GCRA, like Slack's). */
  limit?: { perSecond: number; burst: number };
  /** Status to answer per path (e.g. 400 for a permanent failure, 500 for a transient one). */
  failWith?: Map<string, number>;
  /** Milliseconds each answer takes. */
  latencyMs?: number;
  /** Runs when a request's body has arrived, before the answer (and its latency). */
  onArrival?: (path: string) => void | Promise<void>;
}

/** A node:http webhook receiver on 127.0.0.1 that counts what it accepted, per path and key. */
export async function startReceiver(options: ReceiverOptions = {}) {
  const received: Received[] = [];
  // Requests whose body arrived, answered or not yet: a send the worker gave up on still counts.
  let arrived = 0;
  const tat = new Map<string, number>();
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const path = req.url ?? '/';
    const key = String(req.headers['x-idempotency-key'] ?? '');
    arrived++;
    await options.onArrival?.(path);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const now = Date.now();
    let status = options.failWith?.get(path) ?? 200;
    let retryAfter: number | undefined;
    if (status === 200 && options.limit) {
      const interval = 1000 / options.limit.perSecond;
      const t = Math.max(tat.get(path) ?? now, now);
      if (t + interval - options.limit.burst * interval > now) {
        status = 429;
        retryAfter = Math.ceil((t + interval - options.limit.burst * interval - now) / 1000);
      } else tat.set(path, t + interval);
    }
    received.push({ path, key, at: now, status, body: Buffer.concat(chunks).toString('utf8') });
    if (retryAfter !== undefined) res.setHeader('retry-after', String(retryAfter));
    res.statusCode = status;
    res.end(status === 200 ? 'ok' : 'no');
  };
  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    received,
    /** Requests whose body arrived so far, including those not answered yet. */
    arrived: () => arrived,
    /** Accepted (200) requests. */
    accepted: () => received.filter((r) => r.status === 200),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;
