import type { ChildProcess } from 'node:child_process';
import { createNotificationQueue, type NotificationQueue } from '@pytake/notify-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The queue's own test servers and worker process: the same ones its crash tests run.
import { alertEvent, ceiling, until, webhookPath } from '../../queue/src/testing/fixtures.js';
import { exitOf, startWorkerProcess } from '../../queue/src/testing/processes.js';
import { startRedis, type TestRedis } from '../../queue/src/testing/redis-server.js';
import { type Receiver, startReceiver } from '../../queue/src/testing/webhook-receiver.js';
import type { AlertDetail, AlertPage, ConsoleAction, QueueOverview } from './api-types.js';
import { createRedisSource } from './redis-source.js';
import { nothingWithin, openSse } from './testing/sse-reader.js';
import { type ConsoleServer, startConsoleServer } from './testing/start-console-server.js';

// The console on Redis, with deliveries made by two worker processes: it lists what both delivered,
// its live channel resumes without loss or repeat, and a console started later shows the history.

let redis: TestRedis;
let receiver: Receiver;
let queue: NotificationQueue;
const workers: ChildProcess[] = [];
const consoles: ConsoleServer[] = [];

// org-3's webhook answers 429 to everything: the workers hold it, and the Queue view lists the hold.
const tenants = (base: string) =>
  ['org-1', 'org-2', 'org-3'].map((organizationId, i) => ({
    organizationId,
    slack: { webhooks: [{ url: `${base}${webhookPath(i)}`, name: `ops ${i}` }], storm: false as const },
  }));

beforeAll(async () => {
  [redis, receiver] = await Promise.all([
    startRedis(),
    startReceiver({ failWith: new Map([[webhookPath(2), 429]]) }),
  ]);
  queue = createNotificationQueue({ connection: redis.connection });
  for (let i = 0; i < 2; i++) {
    workers.push(
      await startWorkerProcess({
        redisPath: redis.connection.path,
        tenants: tenants(receiver.base),
        // Limits that never slow these tests, but hold a target that answers 429.
        options: { limits: { slack: { perSecond: 1000, burst: 1000 } } },
      }),
    );
  }
}, ceiling(120_000));
afterAll(async () => {
  for (const server of consoles) await server.close();
  for (const child of workers) {
    child.kill('SIGKILL');
    await exitOf(child);
  }
  await queue?.close();
  await receiver?.close();
  await redis?.stop();
});

const actions: ConsoleAction[] = [];
const startConsole = async () => {
  const server = await startConsoleServer({
    source: createRedisSource({ queue, pollMs: 50 }),
    // `x-org` limits the operator to one organization; without it, every organization.
    authorize: async (request) => {
      const org = request.headers.get('x-org');
      return { id: 'op-1', name: 'Ana', ...(org ? { organizations: [org] } : {}) };
    },
    onAction: async (action) => {
      actions.push(action);
    },
  });
  consoles.push(server);
  return server;
};
const getJson = async <T>(server: ConsoleServer, path: string): Promise<T> =>
  (await (await fetch(`${server.origin}/console/api/${path}`)).json()) as T;
const listAll = async (server: ConsoleServer) => {
  const alerts: AlertPage['alerts'] = [];
  let cursor: string | undefined;
  do {
    const page = await getJson<AlertPage>(
      server,
      `alerts?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
    alerts.push(...page.alerts);
    cursor = page.next;
  } while (cursor);
  return alerts;
};

describe('the console on Redis', () => {
  it(
    "lists both workers' deliveries, resumes its live channel without loss or repeat, and keeps history across a restart",
    async () => {
      const server = await startConsole();
      for (let n = 1; n <= 10; n++) await queue.enqueue(alertEvent(n, n % 2 ? 'org-1' : 'org-2'));
      expect(await until(() => receiver.accepted().length === 10, 30_000)).toBe(true);
      expect(await until(async () => (await listAll(server)).length === 10, 10_000)).toBe(true);
      // The list shows each alert's targets, as its latest event left them.
      expect(
        (await listAll(server)).every((a) => a.targets.length === 1 && a.targets[0]!.state === 'delivered'),
      ).toBe(true);
      const page = await getJson<AlertDetail>(server, 'alerts/org-1/alert-1');
      expect(page.timeline.map((entry) => entry.type)).toEqual(['alert.created']);
      expect(page.targets.map((t) => [t.target.startsWith('ops 0 ('), t.state])).toEqual([
        [true, 'delivered'],
      ]);
      expect(JSON.stringify(page)).not.toContain('s3cr3t');

      // Live: two more alerts while connected, two while away, then a resume after the last id seen.
      const live = await openSse(`${server.origin}/console/api/live`);
      for (const n of [11, 12]) await queue.enqueue(alertEvent(n));
      const seen = new Set<string>();
      const ids: string[] = [];
      while (!['alert-11', 'alert-12'].every((id) => seen.has(id))) {
        const event = await live.next(ceiling(10_000));
        ids.push(event.id!);
        seen.add((JSON.parse(event.data) as { alert: { alertId: string } }).alert.alertId);
      }
      live.close();
      for (const n of [13, 14]) await queue.enqueue(alertEvent(n));
      expect(await until(() => receiver.accepted().length === 14, 30_000)).toBe(true);
      const resumed = await openSse(`${server.origin}/console/api/live`, { 'last-event-id': ids.at(-1)! });
      const missed = new Set<string>();
      while (!['alert-13', 'alert-14'].every((id) => missed.has(id))) {
        const event = await resumed.next(ceiling(10_000));
        const alertId = (JSON.parse(event.data) as { alert: { alertId: string } }).alert.alertId;
        expect(['alert-11', 'alert-12']).not.toContain(alertId);
        missed.add(alertId);
      }
      expect(await nothingWithin(resumed, 500)).toBe(true);
      resumed.close();

      // A console started after all this (another process, or this one restarted) shows the history.
      const later = await startConsole();
      expect((await listAll(later)).map((a) => a.alertId).sort()).toEqual(
        Array.from({ length: 14 }, (_, i) => `alert-${i + 1}`).sort(),
      );
    },
    ceiling(120_000),
  );

  it(
    "shows operators' actions on an alert's page and the targets held by a 429, from any console",
    async () => {
      const [server, other] = [await startConsole(), await startConsole()];
      await queue.enqueue(alertEvent(40, 'org-1'));
      expect(
        await until(
          async () =>
            (await getJson<Partial<AlertDetail>>(server, 'alerts/org-1/alert-40')).targets?.[0]?.state ===
            'delivered',
          30_000,
        ),
      ).toBe(true);
      const post = (kind: string, extra = {}) =>
        fetch(`${server.origin}/console/api/alerts/org-1/alert-40/actions`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: server.origin },
          body: JSON.stringify({ kind, ...extra }),
        });
      expect((await post('acknowledge')).status).toBe(200);
      expect((await post('assign', { assignee: 'Bruno' })).status).toBe(200);
      expect(actions.map((a) => a.kind)).toEqual(['acknowledge', 'assign']);
      // Another console (another process) reads the same from Redis.
      const page = await getJson<AlertDetail>(other, 'alerts/org-1/alert-40');
      expect(page.status).toBe('acknowledged');
      expect(page.timeline.map((entry) => [entry.kind, entry.type, entry.by, entry.assignee])).toEqual([
        ['event', 'alert.created', undefined, undefined],
        ['action', 'acknowledge', 'Ana', undefined],
        ['action', 'assign', 'Ana', 'Bruno'],
      ]);
      const [listed] = (await getJson<AlertPage>(other, 'alerts?q=%2340')).alerts;
      expect(listed?.status).toBe('acknowledged');

      // org-3's webhook answers 429: the Queue view shows its hold, redacted, until it ends.
      await queue.enqueue(alertEvent(41, 'org-3'));
      let overview: QueueOverview | undefined;
      expect(
        await until(async () => {
          overview = await getJson<QueueOverview>(other, 'queue');
          return (overview.holds ?? []).length > 0;
        }, 30_000),
      ).toBe(true);
      expect(
        overview!.holds!.map((h) => [h.organizationId, h.route, h.target.startsWith('ops 2 (')]),
      ).toEqual([['org-3', 'slack', true]]);
      expect(JSON.stringify(overview)).not.toContain('s3cr3t');
      // An operator of org-1 sees no hold of org-3.
      const limited = (await (
        await fetch(`${other.origin}/console/api/queue`, { headers: { 'x-org': 'org-1' } })
      ).json()) as QueueOverview;
      expect(limited.holds).toEqual([]);
    },
    ceiling(120_000),
  );
});
