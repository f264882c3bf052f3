import type { ChildProcess } from 'node:child_process';
import type { AlertInput } from '@pytake/notify-core';
import { createNotificationQueue, type NotificationQueue } from '@pytake/notify-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// The queue's own test servers and worker process, as src/redis-source.test.ts uses them.
import { alertEvent, ceiling, until, webhookPath } from '../../queue/src/testing/fixtures.js';
import { exitOf, startWorkerProcess } from '../../queue/src/testing/processes.js';
import { startRedis, type TestRedis } from '../../queue/src/testing/redis-server.js';
import { type Receiver, startReceiver } from '../../queue/src/testing/webhook-receiver.js';
import type { AlertDetail, OperatorInfo, QueueOverview, RetryAllResult } from './api-types.js';
import { createRedisSource } from './redis-source.js';
import { type ConsoleServer, startConsoleServer } from './testing/start-console-server.js';

// The Queue view on Redis, with a worker process delivering to a webhook receiver: each
// organization's webhook answers 404 (a permanent failure: a dead letter at once) until the test
// fixes it, and then the letter is retried from the console's API and delivered.

let redis: TestRedis;
let receiver: Receiver;
let queue: NotificationQueue;
let worker: ChildProcess;
let server: ConsoleServer;
const failWith = new Map<string, number>();
const edits: AlertInput[] = [];

beforeAll(async () => {
  [redis, receiver] = await Promise.all([startRedis(), startReceiver({ failWith })]);
  for (const i of [0, 1]) failWith.set(webhookPath(i), 404);
  queue = createNotificationQueue({ connection: redis.connection });
  worker = await startWorkerProcess({
    redisPath: redis.connection.path,
    tenants: ['org-1', 'org-2'].map((organizationId, i) => ({
      organizationId,
      slack: { webhooks: [{ url: `${receiver.base}${webhookPath(i)}`, name: `ops ${i}` }], storm: false },
    })),
    options: { limits: { slack: false } },
  });
  // The real queue, with its message edits also noted, to see that an action asks for them.
  const observed = Object.assign(Object.create(queue) as NotificationQueue, {
    updateAlertMessages: (alert: AlertInput) => {
      edits.push(alert);
      return queue.updateAlertMessages(alert);
    },
  });
  server = await startConsoleServer({
    source: createRedisSource({ queue: observed, pollMs: 50 }),
    // `x-org` limits the operator to one organization; without it, every organization.
    authorize: async (request) => {
      const org = request.headers.get('x-org');
      return { id: 'op-1', ...(org ? { organizations: [org] } : {}) };
    },
    onAction: async (action) => ({
      ...alertEvent(1, action.organizationId).alert,
      id: action.alertId,
      status: 'acknowledged' as const,
    }),
  });
}, ceiling(120_000));
afterAll(async () => {
  await server?.close();
  if (worker) {
    worker.kill('SIGKILL');
    await exitOf(worker);
  }
  await queue?.close();
  await receiver?.close();
  await redis?.stop();
});

const as = (org?: string): Record<string, string> => (org ? { 'x-org': org } : {});
const overview = async (org?: string) =>
  (await (await fetch(`${server.origin}/console/api/queue`, { headers: as(org) })).json()) as QueueOverview;
const post = (path: string, org?: string, origin = server.origin) =>
  fetch(`${server.origin}/console/api/${path}`, {
    method: 'POST',
    headers: { ...as(org), origin, 'content-type': 'application/json' },
    body: '{}',
  });
const targetState = async (org: string, alertId: string) =>
  ((await (await fetch(`${server.origin}/console/api/alerts/${org}/${alertId}`)).json()) as AlertDetail)
    .targets[0]?.state;

describe('the Queue view on Redis', () => {
  it(
    'counts jobs, lists dead letters, and retries them per organization until they are delivered',
    async () => {
      const operator = (await (await fetch(`${server.origin}/console/api/operator`)).json()) as OperatorInfo;
      expect(operator.queueEnabled).toBe(true);
      await queue.enqueue(alertEvent(1, 'org-1'));
      await queue.enqueue(alertEvent(2, 'org-2'));
      expect(await until(async () => (await overview()).deadLetters.length === 2, 30_000)).toBe(true);

      // Every organization: the counts per queue and state, both letters with their last error.
      const all = await overview();
      expect(all.counts?.find((row) => row.queue === 'deliveries-slack')).toMatchObject({ dead: 2 });
      expect(all.counts?.find((row) => row.queue === 'events')).toMatchObject({ dead: 0 });
      expect(all.deadLetters.map((l) => [l.organizationId, l.alertId, l.queue]).sort()).toEqual([
        ['org-1', 'alert-1', 'slack'],
        ['org-2', 'alert-2', 'slack'],
      ]);
      // Delivery health counts them as dead, per organization, within the hour and the day.
      const health = (await (await fetch(`${server.origin}/console/api/health`)).json()) as {
        organizations: { organizationId: string; lastHour: { dead: number }; lastDay: { dead: number } }[];
      };
      expect(
        health.organizations.map((o) => [o.organizationId, o.lastHour.dead, o.lastDay.dead]).sort(),
      ).toEqual([
        ['org-1', 1, 1],
        ['org-2', 1, 1],
      ]);
      const [letter] = all.deadLetters;
      expect(letter).toMatchObject({ errorCode: expect.any(String), attempts: expect.any(Number) });
      expect(letter?.target).toMatch(/^ops \d \(/);
      expect(JSON.stringify(all)).not.toContain('s3cr3t');
      const org2Letter = all.deadLetters.find((l) => l.organizationId === 'org-2')!;

      // An operator of org-1: their letter only, no counts of the whole queue, no retry of another's.
      const mine = await overview('org-1');
      expect(mine.counts).toBeUndefined();
      expect(mine.deadLetters.map((l) => l.alertId)).toEqual(['alert-1']);
      expect((await post(`dead-letters/${encodeURIComponent(org2Letter.id)}/retry`, 'org-1')).status).toBe(
        404,
      );

      // A page of another site cannot retry.
      const crossSite = await post('dead-letters/retry-all', undefined, 'https://evil.example');
      expect(crossSite.status).toBe(403);
      expect((await overview()).deadLetters).toHaveLength(2);

      // org-1's webhook is fixed: its operator retries all of theirs, and it is delivered.
      failWith.delete(webhookPath(0));
      const retried = await post('dead-letters/retry-all', 'org-1');
      expect(retried.status).toBe(200);
      expect((await retried.json()) as RetryAllResult).toEqual({ retried: 1 });
      expect(await until(async () => (await targetState('org-1', 'alert-1')) === 'delivered', 30_000)).toBe(
        true,
      );
      expect((await overview()).deadLetters.map((l) => l.alertId)).toEqual(['alert-2']);

      // org-2's too: retried by id, then delivered, and the dead letters are empty.
      failWith.delete(webhookPath(1));
      const one = await post(`dead-letters/${encodeURIComponent(org2Letter.id)}/retry`);
      expect(one.status).toBe(200);
      expect(await until(async () => (await targetState('org-2', 'alert-2')) === 'delivered', 30_000)).toBe(
        true,
      );
      expect(
        receiver
          .accepted()
          .map((r) => r.path)
          .sort(),
      ).toEqual([webhookPath(0), webhookPath(1)]);
      const after = await overview();
      expect(after.deadLetters).toEqual([]);
      expect(after.counts?.find((row) => row.queue === 'deliveries-slack')).toMatchObject({ dead: 0 });
    },
    ceiling(120_000),
  );

  it(
    "asks the queue to edit the alert's messages after an action",
    async () => {
      const response = await post('alerts/org-1/alert-1/actions', undefined);
      // The body of an action names its kind.
      expect(response.status).toBe(400);
      const acted = await fetch(`${server.origin}/console/api/alerts/org-1/alert-1/actions`, {
        method: 'POST',
        headers: { origin: server.origin, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'acknowledge' }),
      });
      expect(acted.status).toBe(200);
      expect(await acted.json()).toMatchObject({ ok: true, messagesUpdated: true });
      expect(edits).toEqual([
        expect.objectContaining({ id: 'alert-1', organizationId: 'org-1', status: 'acknowledged' }),
      ]);
    },
    ceiling(30_000),
  );
});
