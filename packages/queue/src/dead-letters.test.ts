import { createStaticDirectory, isNotifyError } from '@pytake/notify-core';
import { Queue, Worker } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker } from './delivery-worker.js';
import { queueNames } from './job-ids.js';
import { createNotificationQueue, type NotificationQueue } from './notification-queue.js';
import { alertEvent, render, tenant, until, webhookPath } from './testing/fixtures.js';
import { createHttpChannel } from './testing/http-channel.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';
import { type Receiver, startReceiver } from './testing/webhook-receiver.js';

const prefix = '{pytake-notify}';
let redis: TestRedis;
let receiver: Receiver;
let queue: NotificationQueue;

beforeAll(async () => {
  redis = await startRedis();
  receiver = await startReceiver({ failWith: new Map([[webhookPath(0), 400]]) });
  queue = createNotificationQueue({ connection: redis.connection });
});
afterAll(async () => {
  await queue?.close();
  await receiver?.close();
  await redis?.stop();
});

/** Jobs written by other code than enqueue(), straight through BullMQ, as another producer would. */
async function addForeignJobs() {
  const connection = redis.connection;
  const deliveries = new Queue(queueNames.slack, { connection, prefix });
  const events = new Queue(queueNames.events, { connection, prefix });
  try {
    // Well-formed delivery data, failed by some other consumer: BullMQ keeps only its error.
    const wellFormed = await deliveries.add(
      'delivery',
      {
        eventId: 'evt-elsewhere',
        organizationId: 'org-1',
        alertId: 'alert-x',
        eventType: 'alert.created',
        targetId: 'hook 0',
      },
      { jobId: 'foreign-ok' },
    );
    const other = new Worker(
      queueNames.slack,
      async () => {
        throw new Error('boom in another consumer');
      },
      { connection, prefix },
    );
    expect(await until(async () => (await wellFormed.isFailed()) === true, 10_000)).toBe(true);
    await other.close();
    await deliveries.add('delivery', null, { jobId: 'foreign-null' });
    await deliveries.add('delivery', 'not a delivery' as never, { jobId: 'foreign-string' });
    await events.add('event', null, { jobId: 'foreign-null-event' });
    await events.add('event', { event: { hello: 'world' } }, { jobId: 'foreign-not-an-event' });
    return {
      wellFormed: wellFormed.id!,
      malformed: ['foreign-null', 'foreign-string', 'foreign-null-event', 'foreign-not-an-event'],
    };
  } finally {
    await deliveries.close();
    await events.close();
  }
}

describe('deadLetters', () => {
  it('lists malformed jobs as such, skips them in retryAll(), and refuses to retry one', async () => {
    const ids = await addForeignJobs();
    const worker = createDeliveryWorker({
      connection: redis.connection,
      directory: createStaticDirectory([tenant(receiver.base, 1)]),
      routes: { slack: { channel: createHttpChannel(), render } },
      limits: { slack: false },
    });
    try {
      await queue.enqueue(alertEvent(1)); // its one webhook answers 400: a dead letter of ours
      // The worker makes the malformed jobs dead letters too (they fail on their first run).
      const dead = async () => {
        const counts = await queue.jobCounts();
        return counts['deliveries-slack'].dead + counts.events.dead;
      };
      expect(await until(async () => (await dead()) === 6, 20_000)).toBe(true);
    } finally {
      await worker.close();
    }

    const letters = await queue.deadLetters.list();
    expect(letters).toHaveLength(6);
    const byId = new Map(letters.map((letter) => [letter.id, letter]));
    for (const id of ids.malformed) {
      const letter = byId.get(id)!;
      expect(letter.malformed).toMatch(/^malformed job data/);
      // The error BullMQ kept: the worker failed the job at once, saying why.
      expect(letter.error.message).not.toBe('');
    }
    // A failure that left no error of ours is not claimed to be permanent.
    expect(byId.get(ids.wellFormed)).toMatchObject({
      alertId: 'alert-x',
      error: { code: 'unknown', message: 'boom in another consumer' },
    });
    expect(byId.get(ids.wellFormed)!.malformed).toBeUndefined();
    expect(letters.find((l) => l.alertId === 'alert-1')).toMatchObject({
      queue: 'slack',
      error: { code: 'permanent' },
    });

    expect(ids.malformed.map((id) => byId.get(id)!.queue)).toEqual(['slack', 'slack', 'events', 'events']);

    const refused = await queue.deadLetters.retry('foreign-null').catch((error: unknown) => error);
    expect(isNotifyError(refused) && refused.code).toBe('validation');
    expect((refused as Error).message).toContain('malformed job data');

    expect(await queue.deadLetters.retryAll()).toBe(2);
    const left = await queue.deadLetters.list();
    expect(left.map((l) => l.id).sort()).toEqual([...ids.malformed].sort());
  });
});
