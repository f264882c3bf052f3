// A node:http receiver standing in for Slack's incoming webhooks on 127.0.0.1. It answers a seeded
// share of posts with the faults Slack and the network produce: 429 with Retry-After 0 and 1, 500,
// and a reset socket before processing, after processing (the post took effect, its reply is lost)
// and after the reply.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { pickFault, seededUnit } from './seeded.js';

export type WebhookFault =
  | 'retry-after-0'
  | 'retry-after-1'
  | 'server-error'
  | 'reset-before-processing'
  | 'reset-after-processing'
  | 'reset-after-response';

export const webhookFaultShares = [
  ['retry-after-0', 0.04],
  ['retry-after-1', 0.03],
  ['server-error', 0.04],
  ['reset-before-processing', 0.03],
  ['reset-after-processing', 0.03],
  ['reset-after-response', 0.03],
] as const;

export interface ReceivedPost {
  path: string;
  id: string;
}

export interface FaultyWebhookServer {
  port: number;
  /** Every post that took effect (was "posted to the channel"). */
  received: ReceivedPost[];
  faults: Record<WebhookFault, number>;
  requests: () => number;
  close(): Promise<void>;
}

export async function startFaultyWebhookServer(options: {
  seed: number;
  idPattern: RegExp;
}): Promise<FaultyWebhookServer> {
  const received: ReceivedPost[] = [];
  const faults = Object.fromEntries(webhookFaultShares.map(([k]) => [k, 0])) as Record<WebhookFault, number>;
  const attempts = new Map<string, number>();
  const sockets = new Set<Socket>();
  let requests = 0;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requests++;
      const path = req.url ?? '/';
      const body = Buffer.concat(chunks).toString('utf8');
      const id = options.idPattern.exec(body)?.[0];
      if (req.method !== 'POST' || !id) {
        res.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
        return;
      }
      const key = `${path} ${id}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const fault = pickFault(seededUnit(options.seed, 'hook', key, attempt), webhookFaultShares);
      if (fault) faults[fault]++;
      switch (fault) {
        case 'retry-after-0':
        case 'retry-after-1':
          res
            .writeHead(429, { 'content-type': 'text/plain', 'retry-after': fault.slice(-1) })
            .end('rate_limited');
          return;
        case 'server-error':
          // A misbehaving proxy quoting the request line: the path is the webhook's secret, here
          // without its leading slash and URL-encoded, two forms a plain search for the path would miss.
          res
            .writeHead(500, { 'content-type': 'text/plain' })
            .end(
              attempt % 2 === 0
                ? `internal_error while posting to ${path.slice(1)}`
                : `internal_error while posting to ${encodeURIComponent(path)}`,
            );
          return;
        case 'reset-before-processing':
          req.socket.destroy();
          return;
        case 'reset-after-processing':
          received.push({ path, id });
          req.socket.destroy();
          return;
        case 'reset-after-response':
          received.push({ path, id });
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok', () => req.socket.destroy());
          return;
        default:
          received.push({ path, id });
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('clientError', (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    received,
    faults,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
