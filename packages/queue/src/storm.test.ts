import {
  type AlertDigest,
  type AlertEventInput,
  createStaticDirectory,
  type DeliveryRecord,
  type TenantConfigInput,
} from '@pytake/notify-core';
import { Queue } from 'bullmq';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker } from './delivery-worker.js';
import { createNotificationQueue, type NotificationQueue } from './notification-queue.js';
import { alertEvent, ceiling, until, webhookPath } from './testing/fixtures.js';
import { createHttpChannel } from './testing/http-channel.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';
import { startReceiver } from './testing/webhook-receiver.js';

// Storm control through the queue, on Redis's clock: a target past its threshold gets its events
// folded into digests that a digest job sends when the interval ends.

let redis: TestRedis;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let queue: NotificationQueue;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  [redis, receiver] = await Promise.all([startRedis(), startReceiver()]);
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
  await redis.client().flushall();
  receiver.received.length = 0;
});
afterAll(async () => {
  await queue?.close();
  await receiver?.close();
  await redis?.stop();
});

const stormy = (base: string): TenantConfigInput => ({
  organizationId: 'org-1',
  slack: {
    webhooks: [{ url: `${base}${webhookPath(0)}`, name: 'ops' }],
    storm: { threshold: 3, windowMs: 60_000, intervalMs: 1000 },
  },
});

const medium = (n: number, type: 'alert.created' | 'alert.resolved' = 'alert.created'): AlertEventInput => {
  const event = alertEvent(n);
  return { ...event, type, alert: { ...event.alert, severity: 'medium' } } as AlertEventInput;
};

function startWorker(records: DeliveryRecord[], digests: AlertDigest[] = []) {
  const worker = createDeliveryWorker({
    connection: redis.connection,
    directory: createStaticDirectory([stormy(receiver.base)]),
    routes: {
      slack: {
        channel: createHttpChannel(),
        render: (event) => ({ text: event.alert.title }),
        renderDigest: (digest) => {
          digests.push(digest);
          return { text: `${digest.events.length} alerts` };
        },
      },
    },
    limits: false,
    onDelivery: (record) => records.push(record),
  });
  open.push(worker);
  return worker;
}

const isDigestKey = (key: string) => key.includes(':digest:');

describe('storm control through the queue', () => {
  it('sends the first events alone, folds the rest into one digest sent by its own job, and criticals alone', async () => {
    const records: DeliveryRecord[] = [];
    const digests: AlertDigest[] = [];
    startWorker(records, digests);
    const ids: string[] = [];
    for (let n = 0; n < 10; n++) ids.push((await queue.enqueue(medium(n))).id);
    const critical = alertEvent(99);
    await queue.enqueue({
      ...critical,
      alert: { ...critical.alert, severity: 'critical' },
    } as AlertEventInput);

    // Every event ends delivered once: alone, or through a digest (a record with its digestId).
    const final = () => records.filter((r) => r.status === 'delivered');
    expect(await until(() => final().length === 11, ceiling(15_000))).toBe(true);
    const folded = records.filter((r) => r.status === 'digested');
    const throughDigest = final().filter((r) => r.digestId);
    expect(folded.length).toBe(throughDigest.length);
    expect(new Set(final().map((r) => r.alertId)).size).toBe(11);
    expect(final().find((r) => r.alertId === 'alert-99')?.digestId).toBeUndefined();
    // More than the threshold arrived at once: at least the ones past it were folded.
    expect(folded.length).toBeGreaterThanOrEqual(10 - 3);
    expect(digests.flatMap((d) => d.events.map((e) => e.alert.id)).sort()).toEqual(
      folded.map((r) => r.alertId).sort(),
    );
    const posts = receiver.received.filter((r) => r.status === 200);
    expect(posts.filter((r) => isDigestKey(r.key))).toHaveLength(digests.length);
    expect(posts.filter((r) => !isDigestKey(r.key))).toHaveLength(11 - folded.length);
    // The status of a folded event names its digest.
    const status = await queue.status(ids[9]!);
    const entry = status?.targets[0];
    if (entry?.state === 'digested')
      expect(entry.digestId).toBe(folded.find((r) => r.alertId === 'alert-9')?.digestId);
  });

  it('keeps each event of an alert created and resolved in one interval: the digest shows it once, as resolved', async () => {
    const records: DeliveryRecord[] = [];
    const digests: AlertDigest[] = [];
    startWorker(records, digests);
    for (let n = 0; n < 4; n++) await queue.enqueue(medium(n));
    expect(
      await until(() => records.filter((r) => r.status === 'digested').length === 1, ceiling(5000)),
    ).toBe(true);
    await queue.enqueue(medium(50));
    await queue.enqueue(medium(50, 'alert.resolved'));
    expect(
      await until(
        () => records.filter((r) => r.digestId && r.status === 'delivered').length === 3,
        ceiling(10_000),
      ),
    ).toBe(true);
    const events = digests.flatMap((d) => d.events).filter((e) => e.alert.id === 'alert-50');
    expect(events.map((e) => e.type)).toEqual(['alert.resolved']);
  });

  it('sends a digest whose job was lost (its worker died before adding it) once it is overdue', async () => {
    const records: DeliveryRecord[] = [];
    startWorker(records);
    for (let n = 0; n < 5; n++) await queue.enqueue(medium(n));
    expect(await until(() => records.some((r) => r.status === 'digested'), ceiling(5000))).toBe(true);
    // What a worker killed between the fold and the add leaves: the digest held, no job for it.
    const digestId = records.find((r) => r.status === 'digested')!.digestId!;
    const deliveries = new Queue('deliveries-slack', {
      connection: redis.client(),
      prefix: '{pytake-notify}',
    });
    expect(await deliveries.remove(`dgs-${digestId}`)).toBe(1);
    await deliveries.close();
    expect(
      await until(
        () => records.some((r) => r.digestId === digestId && r.status === 'delivered'),
        ceiling(15_000),
      ),
    ).toBe(true);
    expect(receiver.received.filter((r) => r.key.includes(digestId))).toHaveLength(1);
  });
});
