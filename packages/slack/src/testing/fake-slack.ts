import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface FakeAnswer {
  status: number;
  body?: string;
  headers?: Record<string, string>;
  /** Never answer (to test timeouts). */
  hang?: boolean;
  /** Send the status and headers, then never finish the body (to test timeouts). */
  hangBody?: boolean;
  /** Send the status, headers and part of the body, then close the connection. */
  dropBody?: boolean;
}

/**
 * A node:http server on 127.0.0.1 that answers the way Slack documents: the handler decides
 * status, body and headers per request. For tests only.
 */
export async function startFakeSlack(handler: (request: FakeRequest, index: number) => FakeAnswer) {
  const requests: FakeRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      requests.push(request);
      const answer = handler(request, requests.length - 1);
      if (answer.hang) return;
      res.writeHead(answer.status, { 'content-type': 'text/plain', ...answer.headers });
      if (answer.hangBody || answer.dropBody) {
        res.write(answer.body ?? '');
        if (answer.dropBody) res.socket?.destroy();
        return;
      }
      res.end(answer.body ?? '');
    });
  });
  // Every TCP connection the server accepted, and how many are still open: what keep-alive reuse
  // and a destroyed socket look like from Slack's side.
  let connections = 0;
  let open = 0;
  server.on('connection', (socket) => {
    connections++;
    open++;
    socket.once('close', () => open--);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    /** Connections accepted so far. */
    connections: () => connections,
    /** Connections still open. */
    openConnections: () => open,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** A fake clock for retry/backoff: `sleep` records the wait and moves time on at once. */
export function fakeClock() {
  const state = { now: 0, sleeps: [] as number[] };
  return {
    state,
    now: () => state.now,
    sleep: async (ms: number) => {
      state.sleeps.push(ms);
      state.now += ms;
    },
  };
}
