import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { NotifyError } from '@pytake/notify-core';
import type { DeliveryWorker } from './delivery-worker.js';
import { type WorkerHealthOptions, workerHealth } from './worker-health.js';
import { workerStateOf } from './worker-state.js';

/** Where `serveWorkerHealth()` listens, and how its readiness probe asks Redis. */
export interface HealthServerOptions extends WorkerHealthOptions {
  /** The port to listen on; 0 picks a free one. */
  port: number;
  /** The address to listen on, e.g. '0.0.0.0' in a container, '127.0.0.1' for local probes only. */
  host: string;
}

/** The probes' HTTP listener `serveWorkerHealth()` started: `/livez` and `/readyz`. */
export interface HealthServer {
  /** The port it listens on. */
  port: number;
  /** Stops listening (it also stops once the worker has closed). */
  close(): Promise<void>;
}

/**
 * A small node:http listener for a worker's probes: `GET /livez` and `GET /readyz` answer 200 or 503
 * with a JSON body `{ ok, state, reason? }` (no address, no secret); anything else is 404. It closes
 * once the worker has closed, so that it answers through the whole drain: ready 503, live 200.
 */
export async function serveWorkerHealth(
  worker: DeliveryWorker,
  options: HealthServerOptions,
): Promise<HealthServer> {
  const health = workerHealth(worker, options);
  const reader = workerStateOf(worker)!;
  if (typeof options.host !== 'string' || options.host === '')
    throw new NotifyError(
      `host must be the address to listen on, such as '0.0.0.0', got '${String(options.host)}'`,
      {
        code: 'config',
      },
    );
  if (!Number.isInteger(options.port) || options.port < 0 || options.port > 65535)
    throw new NotifyError(`port must be an integer from 0 to 65535, got '${String(options.port)}'`, {
      code: 'config',
    });
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const reply = (status: number, body: object) => {
      response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'GET' && request.method !== 'HEAD') return reply(405, { ok: false });
    if (path === '/livez') {
      const answer = health.live();
      return reply(answer.ok ? 200 : 503, answer);
    }
    if (path === '/readyz') {
      health.ready().then(
        (answer) => reply(answer.ok ? 200 : 503, answer),
        () => reply(503, { ok: false }),
      );
      return;
    }
    reply(404, { ok: false });
  });
  // Probes come every few seconds: no keep-alive connection should hold the process open at exit.
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  let stopped: Promise<void> | undefined;
  const close = () => {
    stopped ??= new Promise<void>((resolve) => {
      // Answers in progress are finished; idle keep-alive connections are closed.
      server.close(() => resolve());
      server.closeIdleConnections();
    });
    return stopped;
  };
  reader.whenClosed.then(close);
  return { port: (server.address() as AddressInfo).port, close };
}
