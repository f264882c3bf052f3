import { createStaticDirectory, type DeliveryRecord } from '@pytake/notify-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker, type DeliveryWorker } from '../src/delivery-worker.js';
import { createNotificationQueue, type NotificationQueue } from '../src/notification-queue.js';
import { alertEvent, ceiling, render, tenant, until, webhookPath } from '../src/testing/fixtures.js';
import { createHttpChannel } from '../src/testing/http-channel.js';
import { startCluster, type TestCluster } from '../src/testing/redis-cluster.js';
import { type Receiver, startReceiver } from '../src/testing/webhook-receiver.js';

// The queue on a real three-node Redis Cluster: BullMQ's scripts and ours take several keys at once,
// which Redis Cluster allows only within one hash slot; the `{pytake-notify}` prefix puts them there.
let cluster: TestCluster;
let receiver: Receiver;
let queue: NotificationQueue;
let worker: DeliveryWorker;
const records: DeliveryRecord[] = [];
const EVENTS = 20;

beforeAll(async () => {
  cluster = await startCluster({ timeoutMs: ceiling(20_000) });
  receiver = await startReceiver({ failWith: new Map([[webhookPath(9), 400]]) });
  const connection = { cluster: cluster.nodes };
  queue = createNotificationQueue({ connection, connectTimeoutMs: ceiling(2_000) });
  worker = createDeliveryWorker({
    connection,
    directory: createStaticDirectory([
      tenant(receiver.base, 2),
      { organizationId: 'org-dead', slack: { webhooks: [{ url: `${receiver.base}${webhookPath(9)}` }] } },
    ]),
    routes: { slack: { channel: createHttpChannel(), render } },
    backoff: { baseDelayMs: 20, maxDelayMs: 100 },
    // The shared limiter runs too (its Lua script on the cluster), high enough not to slow the test.
    limits: { slack: { perSecond: 1000, burst: 1000 } },
    onDelivery: (r) => records.push(r),
  });
}, ceiling(60_000));
afterAll(async () => {
  await worker?.close();
  await queue?.close();
  await receiver?.close();
  await cluster?.stop();
});

/** Every key of every node, with the node it is on. */
async function allKeys() {
  const keys: { node: number; key: string }[] = [];
  for (let i = 0; i < cluster.nodes.length; i++) {
    const client = cluster.node(i);
    let cursor = '0';
    // Bounded: 1,000 pages of up to 1,000 keys.
    for (let page = 0; page < 1000; page++) {
      const [next, found] = await client.scan(cursor, 'COUNT', 1000);
      keys.push(...found.map((key) => ({ node: i, key })));
      cursor = next;
      if (cursor === '0') break;
    }
  }
  return keys;
}

describe('on a Redis Cluster', () => {
  it(
    'enqueues, deduplicates, delivers and reports every target, with every key in one slot',
    async () => {
      const ids = await Promise.all(Array.from({ length: EVENTS }, (_, n) => queue.enqueue(alertEvent(n))));
      // The same events again: the same jobs, no new deliveries.
      const again = await Promise.all(Array.from({ length: EVENTS }, (_, n) => queue.enqueue(alertEvent(n))));
      expect(again.map((j) => j.id)).toEqual(ids.map((j) => j.id));

      // Two webhooks per event; the tenant's email has no route here, so its delivery waits for a worker with one.
      const slack = () => records.filter((r) => r.channel === 'slack');
      expect(await until(() => slack().length === EVENTS * 2, 30_000)).toBe(true);
      expect(slack().every((r) => r.status === 'delivered')).toBe(true);
      expect(receiver.received).toHaveLength(EVENTS * 2);
      expect(new Set(receiver.received.map((r) => r.key)).size).toBe(EVENTS * 2);
      const status = await queue.status(ids[0]!.id);
      expect(status?.targets.map((t) => t.state).sort()).toEqual(['delivered', 'delivered', 'waiting']);

      const keys = await allKeys();
      expect(keys.length).toBeGreaterThan(0);
      expect(keys.filter((k) => !k.key.startsWith('{pytake-notify}:'))).toEqual([]);
      expect(new Set(keys.map((k) => k.node)).size).toBe(1);
    },
    ceiling(60_000),
  );

  it(
    'puts a permanent failure in the dead letters and retries it from there',
    async () => {
      const { id } = await queue.enqueue(alertEvent(1, 'org-dead'));
      expect(await until(async () => (await queue.deadLetters.list()).length === 1, 30_000)).toBe(true);
      const [letter] = await queue.deadLetters.list();
      expect(letter).toMatchObject({ eventId: id, error: { code: 'permanent' } });
      const before = receiver.received.length;
      expect(await queue.deadLetters.retry(letter!.id)).toBe(true);
      expect(await until(() => receiver.received.length === before + 1, 30_000)).toBe(true);
      expect(await until(async () => (await queue.jobCounts())['deliveries-slack'].dead === 1, 30_000)).toBe(
        true,
      );
    },
    ceiling(60_000),
  );
});
