import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface WebhookSink {
  url: (path: string) => string;
  close: () => Promise<void>;
}

/**
 * A loopback server that answers like a Slack incoming webhook. `handle` decides the answer per
 * request, once the whole request is in; by default every post gets 200 `ok`. It gets the body only
 * with `{ body: true }` (otherwise `''`): the other rows discard it unread.
 */
export async function startWebhookSink(
  handle: (path: string, req: IncomingMessage, res: ServerResponse, body: string) => void = (
    _p,
    _req,
    res,
  ) => {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
  },
  options: { body?: boolean } = {},
): Promise<WebhookSink> {
  const server = createServer((req, res) => {
    let body = '';
    if (options.body) {
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => {
        body += chunk;
      });
    } else req.resume();
    req.on('end', () => handle(req.url ?? '/', req, res, body));
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
