import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createConsole, createRedisSource } from '@pytake/notify-console';
import { createNotificationQueue } from '@pytake/notify-queue';
import { type Budget, median, ms, num, type Result, type Row, until } from '../harness.js';
import { startWebhookSink } from '../servers/webhook-sink.js';
import { eventFor, pool, startWorker, tenantsOn, withRedis } from './rows.js';

const ALERTS = 10_000;
const ORGS = 10;
const SAMPLES = 40;
const LIVE_CLIENTS = 100;

/** Median time of `task` over `SAMPLES` runs, stopping at the ceiling. */
async function timed(task: () => Promise<unknown>, b: Budget): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES && !b.spent(); i++) {
    const t0 = performance.now();
    await task();
    samples.push(performance.now() - t0);
  }
  return median(samples);
}

/**
 * The console on Redis with 10,000 alerts the workers delivered: its API's list, a deep page, a
 * search that matches nothing and an alert's page, each against the queue call it makes (the peer:
 * what the console adds is HTTP, authorize, mapping and JSON), and the memory of its live channel
 * with 100 clients.
 */
export const consoleRedisRow: Row = {
  name: 'console-redis',
  what: `the console on Redis with ${num(ALERTS)} alerts in ${ORGS} organizations: API list / deep page / search / alert page against the queue's own reads, and live channel memory with ${LIVE_CLIENTS} clients`,
  ceilingMs: 120_000,
  async run(b) {
    return withRedis(async (redis, cleanup) => {
      let received = 0;
      const sink = await startWebhookSink((_path, _req, res) => {
        received++;
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
      cleanup(() => sink.close());
      const tenants = tenantsOn(sink.url, ORGS);
      const config = {
        mode: 'ours',
        redisPath: redis.connection.path,
        prefix: '{console}',
        tenants,
        limits: false,
        concurrency: 32,
      } as const;
      const workers = await Promise.all([0, 1].map(() => startWorker(config, Math.max(5000, b.left() / 4))));
      cleanup(() => {
        for (const w of workers) w.kill('SIGKILL');
      });
      const queue = createNotificationQueue({ connection: redis.connection, prefix: '{console}' });
      cleanup(() => queue.close());
      await pool(ALERTS, 16, (i) => queue.enqueue(eventFor(`org-${i % ORGS}`)));
      const delivered = await until(() => received >= ALERTS, Math.max(1000, b.left() / 2), 50);
      if (!delivered) b.hit(`${received} of ${ALERTS} delivered`);

      const opsConsole = createConsole({
        source: createRedisSource({ queue }),
        authorize: async () => ({ id: 'bench' }),
      });
      const server = createServer(opsConsole.node);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      cleanup(
        () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      );
      const api = `http://127.0.0.1:${(server.address() as AddressInfo).port}/console/api`;
      const get = async (path: string) => {
        const response = await fetch(`${api}/${path}`);
        return response.json() as Promise<{
          alerts?: { organizationId: string; alertId: string }[];
          next?: string;
        }>;
      };

      const first = await get('alerts?limit=50');
      const some = first.alerts![7]!;
      // The cursor of page 100 (the 5,000th alert on): reached once, then read again and again.
      let cursor = first.next;
      for (let page = 1; page < 100 && cursor; page++)
        cursor = (await get(`alerts?limit=50&cursor=${encodeURIComponent(cursor)}`)).next;
      const deep = cursor ?? '';

      const rows: [string, () => Promise<unknown>, () => Promise<unknown>][] = [
        ['list, first page of 50', () => get('alerts?limit=50'), () => queue.alerts.list({ limit: 50 })],
        [
          'list, page 100 of 50',
          () => get(`alerts?limit=50&cursor=${encodeURIComponent(deep)}`),
          () => queue.alerts.list({ limit: 50, cursor: deep }),
        ],
        [
          'list, a search matching nothing',
          () => get('alerts?limit=50&q=nothing-matches-this'),
          () => queue.alerts.list({ limit: 50, filter: () => false }),
        ],
        [
          "an alert's page",
          () => get(`alerts/${some.organizationId}/${encodeURIComponent(some.alertId)}`),
          () => queue.alerts.get(some.organizationId, some.alertId),
        ],
      ];
      const results: Result[] = [];
      for (const [what, ours, raw] of rows) {
        const oursMs = await timed(ours, b);
        const rawMs = await timed(raw, b);
        results.push({
          name: `console on Redis, ${what}`,
          ours: ms(oursMs),
          raw: `${ms(rawMs)} queue call`,
          ratio: oursMs / rawMs,
          ratioOf: 'ours/queue call',
          bar: 'report',
          pass: null,
          note:
            what === 'list, a search matching nothing'
              ? 'looks at 5,000 index entries (maxScanned) and answers with a next cursor'
              : undefined,
          data: { oursMs, rawMs },
        });
      }

      // Live channel: 100 clients connected, then 100 alerts delivered while they listen.
      global.gc?.();
      const before = process.memoryUsage();
      const stop = new AbortController();
      let changes = 0;
      await Promise.all(
        Array.from({ length: LIVE_CLIENTS }, async () => {
          const response = await fetch(`${api}/live`, {
            headers: { accept: 'text/event-stream' },
            signal: stop.signal,
          });
          const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
          void (async () => {
            try {
              for (;;) {
                const { value, done } = await reader.read();
                if (done) break;
                changes += value.split('\nid:').length - 1 + (value.startsWith('id:') ? 1 : 0);
              }
            } catch {
              // closed at the end
            }
          })();
        }),
      );
      const receivedBefore = received;
      await pool(100, 16, (i) => queue.enqueue(eventFor(`org-${i % ORGS}`)));
      const all = await until(
        () => changes >= LIVE_CLIENTS * 100,
        Math.max(1000, Math.min(30_000, b.left() - 5000)),
        50,
      );
      // What the open channels hold, not the garbage their changes left.
      global.gc?.();
      const after = process.memoryUsage();
      stop.abort();
      const perClient = (after.heapUsed - before.heapUsed) / LIVE_CLIENTS;
      results.push({
        name: `console on Redis, live channel, ${LIVE_CLIENTS} clients`,
        ours: `${num(Math.round(perClient / 1024))} KiB heap per client`,
        raw: `${num(changes)} of ${num(LIVE_CLIENTS * 100)} changes received`,
        ratio: perClient,
        ratioOf: 'heap bytes per client',
        bar: 'every client gets every change',
        pass: all,
        note: `server and clients in this one process (heap ${num(Math.round(before.heapUsed / 1048576))} → ${num(Math.round(after.heapUsed / 1048576))} MiB, rss ${num(Math.round(before.rss / 1048576))} → ${num(Math.round(after.rss / 1048576))} MiB); one reader of the records stream shared by all clients; ${received - receivedBefore} deliveries made meanwhile`,
        data: { before, after, changes },
      });
      return results;
    });
  },
};
