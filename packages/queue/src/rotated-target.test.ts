import {
  type Channel,
  createStaticDirectory,
  type DeliveryRecord,
  type EmailDelivery,
  type Recipient,
  type TenantConfig,
} from '@pytake/notify-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker } from './delivery-worker.js';
import { createNotificationQueue, type NotificationQueue } from './notification-queue.js';
import { alertEvent, render, until, webhookPath } from './testing/fixtures.js';
import { createHttpChannel } from './testing/http-channel.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';
import { type Receiver, startReceiver } from './testing/webhook-receiver.js';

let redis: TestRedis;
let receiver: Receiver;
let queue: NotificationQueue;
const open: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  redis = await startRedis();
  receiver = await startReceiver();
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
});
afterAll(async () => {
  await queue?.close();
  await receiver?.close();
  await redis?.stop();
});

const address = (r: Recipient) => (typeof r === 'string' ? r : r.email);

describe('a target changed while its deliveries wait', () => {
  it('sends what waits to the current webhook URL and recipients, skips only a removed target, and sends nothing twice', async () => {
    const config = (rotated: boolean) =>
      createStaticDirectory([
        {
          organizationId: 'org-1',
          email: { to: rotated ? ['ana@acme.example', 'bia@acme.example'] : ['ana@acme.example'] },
          slack: {
            webhooks: [
              { name: 'ops', url: `${receiver.base}${webhookPath(rotated ? 2 : 1)}` },
              // Removed by the change: what waits for it is skipped, and says so.
              ...(rotated ? [] : [{ name: 'old', url: `${receiver.base}${webhookPath(3)}` }]),
            ],
          },
        },
      ]);
    const before = config(false);
    const after = config(true);
    let rotated = false;
    const directory = {
      get: (id: string) => (rotated ? after : before).get(id) as Promise<TenantConfig | undefined>,
    };
    const emails: string[][] = [];
    const email: Channel<EmailDelivery> = {
      kind: 'email',
      async send(delivery) {
        emails.push(delivery.to.map(address));
        return { attempts: 1, durationMs: 0 };
      },
    };
    const records: DeliveryRecord[] = [];
    const worker = createDeliveryWorker({
      connection: redis.connection,
      directory,
      routes: {
        slack: { channel: createHttpChannel(), render },
        email: { channel: email, render: () => ({ subject: 's', html: 'h' }) },
      },
      // One delivery per second per target: the alerts queue up behind the limit.
      limits: { slack: { perSecond: 1, burst: 1 }, email: { perSecond: 1, burst: 1 } },
      shortWaitMs: 0,
      onDelivery: (r) => records.push(r),
    });
    open.push(worker);
    for (let n = 1; n <= 5; n++) await queue.enqueue(alertEvent(n));
    expect(await until(() => receiver.accepted().some((r) => r.path === webhookPath(1)), 20_000)).toBe(true);
    rotated = true;

    const done = () => records.filter((r) => r.channel === 'slack' || r.channel === 'email').length === 15;
    expect(await until(done, 30_000)).toBe(true);
    const ops = receiver.accepted().filter((r) => r.path !== webhookPath(3));
    // Every alert reached the "ops" webhook once, at the URL it had when it was sent.
    expect(new Set(ops.map((r) => r.key)).size).toBe(5);
    expect(ops).toHaveLength(5);
    expect(ops.filter((r) => r.path === webhookPath(2)).length).toBeGreaterThan(0);
    // After the change, the new recipient gets what waited; nobody got an alert twice.
    expect(emails).toHaveLength(5);
    expect(emails.at(-1)).toEqual(['ana@acme.example', 'bia@acme.example']);
    // Only the removed webhook's waiting deliveries are skipped.
    const skipped = records.filter((r) => r.status === 'skipped');
    expect(skipped.length).toBeGreaterThan(0);
    for (const r of skipped) expect(r).toMatchObject({ channel: 'slack', reason: 'not_configured' });
    expect(records.filter((r) => r.status === 'failed')).toEqual([]);
  });
});
