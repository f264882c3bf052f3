import type { AlertEventInput, DeliveryRecord } from '@pytake/notify-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationQueue, type NotificationQueue } from '../src/index.js';
import {
  CHANNEL,
  conversationCounts,
  conversationEvent,
  conversationTenant,
  conversationWorkerOptions,
  createdEscalatedResolved,
  eventId,
  formatCounts,
  settledDeliveries,
  streamRecords,
  type WorkerPool,
  warned,
  workerPool,
} from '../src/testing/conversation-scenario.js';
import { type EventOfText, eventKey, inEventOrder } from '../src/testing/event-text.js';
import { type FakeSlackApi, type Refusal, startFakeSlackApi } from '../src/testing/fake-slack-api.js';
import { ceiling, until } from '../src/testing/fixtures.js';
import { startRedis, type TestRedis } from '../src/testing/redis-server.js';
import { type SmtpReceiver, startSmtpReceiver } from '../src/testing/smtp-receiver.js';

// The order of an alert's messages to each target, whatever order its events reach the queue in and
// whichever worker process holds them: the waits, their ceiling, and the warnings that say when the
// order could not be kept.

let redis: TestRedis;
let queue: NotificationQueue;
let fake: FakeSlackApi | undefined;
let smtp: SmtpReceiver | undefined;
let pool: WorkerPool | undefined;

beforeAll(async () => {
  redis = await startRedis();
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  await pool?.stopAll();
  await fake?.close();
  await smtp?.close();
  [pool, fake, smtp] = [undefined, undefined, undefined];
  await redis.client().flushall();
});
afterAll(async () => {
  await queue?.close();
  await redis?.stop();
});

const RECIPIENTS = ['oncall@acme.test', 'lead@acme.test'];

/** The fake Slack and a pool of worker processes on the organization's targets (none started yet). */
async function setUp(
  options: {
    seed?: number;
    refuse?: (post: { event?: EventOfText }) => Refusal | undefined;
    webhooks?: boolean;
    email?: boolean;
    worker?: Record<string, unknown>;
  } = {},
) {
  fake = await startFakeSlackApi({ delay: { seed: options.seed ?? 31, maxMs: 20 }, refuse: options.refuse });
  smtp = options.email ? await startSmtpReceiver() : undefined;
  const hooks = options.webhooks ? [0, 1].map((i) => `${fake!.base}/services/T0CONV/B00${i}/hook${i}`) : [];
  pool = workerPool({
    redisPath: redis.connection.path,
    tenants: [conversationTenant({ webhooks: hooks, email: smtp ? RECIPIENTS : undefined })],
    apiBase: fake.apiBase,
    webhooks: options.webhooks,
    smtpPort: smtp?.port,
    options: conversationWorkerOptions(options.worker),
  });
  return { fake, pool, hooks };
}

/** The records of one event of one alert, from every worker. */
const recordsOf = (records: DeliveryRecord[], event: AlertEventInput) =>
  records.filter(
    (r) => r.alertId === event.alert.id && r.eventType === event.type && r.channel === 'slack-api',
  );

const hasWarning = (records: DeliveryRecord[], code: string) =>
  records.some((r) => r.warnings?.some((w) => w.code === code));

/** The Web API post of one event. */
const postOf = (fake: FakeSlackApi, event: AlertEventInput) =>
  fake.posts.find(
    (p) =>
      p.event?.alertId === event.alert.id &&
      p.event.key === eventKey({ type: event.type, occurredAt: event.occurredAt as string }),
  );

describe("an alert's events enqueued in reverse before any worker runs", () => {
  it(
    'reach the threaded channel in event order, ties broken created < escalated < stale < resolved',
    async () => {
      const { fake, pool } = await setUp({ seed: 32 });
      const alerts = 10;
      // Escalated at the moment it was created, stale and resolved at one later moment: the ties
      // are decided by the type alone.
      const events = Array.from({ length: alerts }, (_, i) => [
        conversationEvent(i + 1, 'alert.created', 0),
        conversationEvent(i + 1, 'alert.escalated', 0),
        conversationEvent(i + 1, 'alert.stale', 30),
        conversationEvent(i + 1, 'alert.resolved', 30),
      ]).flat();
      for (const event of [...events].reverse()) await queue.enqueue(event);
      await Promise.all([pool.start(), pool.start(), pool.start()]);
      await until(
        async () => settledDeliveries(await streamRecords(redis), 'slack-api') >= events.length,
        30_000,
        200,
      );
      const counts = conversationCounts(fake, events);
      console.log(`reverse enqueue, 3 workers: ${formatCounts(counts)}`);
      expect(counts.lost).toBe(0);
      expect(counts.outOfOrder).toBe(0);
      expect(counts.parents).toBe(alerts);
      expect(counts.outsideThread).toBe(0);
      // The parent is the created message: the first to arrive.
      for (const thread of fake.threads().values())
        expect(thread.parents[0]?.event?.type).toBe('alert.created');
      expect(counts.editedToResolved).toBe(alerts);
      // Nothing waited past the ceiling: nothing earlier was missing for long.
      expect(warned(await streamRecords(redis), 'out_of_order')).toEqual([]);
    },
    ceiling(60_000),
  );
});

describe('an earlier event that cannot be delivered', () => {
  it(
    'holds no later event once it is dead: they go, without an out_of_order warning',
    async () => {
      const [created, escalated, resolved] = createdEscalatedResolved(1) as [
        AlertEventInput,
        AlertEventInput,
        AlertEventInput,
      ];
      // Slack refuses the created message for good (`invalid_blocks`), and that one only.
      const { fake, pool } = await setUp({
        seed: 33,
        refuse: ({ event }) =>
          event?.type === 'alert.created' && event.alertId === created.alert.id
            ? { error: 'invalid_blocks' }
            : undefined,
        // Far longer than the dead event takes to die: a later event that waited for the ceiling
        // would say so (`out_of_order`), and fail this test.
        worker: { orderWaitMs: ceiling(10_000) },
      });
      await Promise.all([pool.start(), pool.start(), pool.start()]);
      for (const event of [created, escalated, resolved]) await queue.enqueue(event);
      await until(async () => settledDeliveries(await streamRecords(redis), 'slack-api') >= 3, 60_000, 200);
      const records = await streamRecords(redis);
      const letters = await queue.deadLetters.list();
      console.log(
        `a dead created event: ${letters.length} dead letters, posts ${fake.posts.map((p) => p.event?.type).join(', ')}, ` +
          `warnings ${JSON.stringify(records.map((r) => [r.eventType, r.status, r.warnings ?? []]))}`,
      );
      expect(letters.map((l) => l.error.code)).toEqual(['permanent']);
      expect(recordsOf(records, escalated).map((r) => r.status)).toContain('delivered');
      expect(recordsOf(records, resolved).map((r) => r.status)).toContain('delivered');
      expect(hasWarning(recordsOf(records, escalated), 'out_of_order')).toBe(false);
      expect(hasWarning(recordsOf(records, resolved), 'out_of_order')).toBe(false);
      expect(inEventOrder(fake.posts)).toBe(true);
    },
    ceiling(60_000),
  );

  it(
    'holds a later event no longer than orderWaitMs: it goes with out_of_order, and the earlier one, delivered at last, goes late in the thread',
    async () => {
      const [created, escalated, resolved] = createdEscalatedResolved(2) as [
        AlertEventInput,
        AlertEventInput,
        AlertEventInput,
      ];
      // Slack fails the created message (HTTP 500, a transient failure: retried) until the test lets it through.
      let failing = true;
      const { fake, pool } = await setUp({
        seed: 34,
        refuse: ({ event }) =>
          failing && event?.type === 'alert.created' && event.alertId === created.alert.id
            ? { status: 500 }
            : undefined,
        worker: {
          orderWaitMs: 3000,
          deliveryAttempts: 1000,
          backoff: { baseDelayMs: 100, maxDelayMs: 300 },
        },
      });
      await Promise.all([pool.start(), pool.start(), pool.start()]);
      for (const event of [created, escalated, resolved]) await queue.enqueue(event);
      const laterPosted = await until(() => !!postOf(fake, escalated) && !!postOf(fake, resolved), 60_000);
      failing = false;
      await until(async () => settledDeliveries(await streamRecords(redis), 'slack-api') >= 3, 60_000, 200);
      const records = await streamRecords(redis);
      const parent = fake.posts.find((p) => p.threadTs === undefined);
      console.log(
        `a created event failing past orderWaitMs 3000: later events posted while it failed: ${laterPosted}; ` +
          `posts ${fake.posts.map((p) => `${p.event?.type}${p.threadTs ? ' (reply)' : ' (parent)'}`).join(', ')}; ` +
          `warnings ${JSON.stringify(records.map((r) => [r.eventType, r.status, r.warnings ?? []]))}`,
      );
      expect(laterPosted).toBe(true);
      expect(hasWarning(recordsOf(records, escalated), 'out_of_order')).toBe(true);
      const createdPost = postOf(fake, created);
      expect(createdPost).toBeDefined();
      expect(createdPost?.threadTs).toBe(parent?.ts);
      expect(recordsOf(records, created).map((r) => r.status)).toContain('delivered');
      expect(hasWarning(recordsOf(records, created), 'late')).toBe(true);
      expect(fake.threads().get(`${CHANNEL} ${created.alert.id}`)?.parents).toHaveLength(1);
    },
    ceiling(90_000),
  );
});

describe('an earlier event enqueued only after a later one was sent', () => {
  it('is still delivered, in the thread, with a late warning', async () => {
    const created = conversationEvent(3, 'alert.created', 0);
    const escalated = conversationEvent(3, 'alert.escalated', 10);
    const { fake, pool } = await setUp({ seed: 35 });
    await Promise.all([pool.start(), pool.start(), pool.start()]);
    await queue.enqueue(escalated);
    expect(await until(() => !!postOf(fake, escalated), 30_000)).toBe(true);
    await queue.enqueue(created);
    await until(async () => settledDeliveries(await streamRecords(redis), 'slack-api') >= 2, 30_000, 200);
    const records = await streamRecords(redis);
    console.log(
      `a late created event: posts ${fake.posts.map((p) => `${p.event?.type}${p.threadTs ? ' (reply)' : ' (parent)'}`).join(', ')}; ` +
        `warnings ${JSON.stringify(records.map((r) => [r.eventType, r.status, r.warnings ?? []]))}`,
    );
    expect(postOf(fake, created)?.threadTs).toBe(postOf(fake, escalated)?.ts);
    expect(recordsOf(records, created).map((r) => r.status)).toContain('delivered');
    expect(hasWarning(recordsOf(records, created), 'late')).toBe(true);
  });
});

describe("webhooks and the organization's email, through 3 worker processes", () => {
  it(
    "keep each alert's order at every target: two webhooks, the email recipients and the threaded channel",
    async () => {
      const { fake, pool, hooks } = await setUp({ seed: 36, webhooks: true, email: true });
      await Promise.all([pool.start(), pool.start(), pool.start()]);
      const alerts = 20;
      const events = Array.from({ length: alerts }, (_, i) => createdEscalatedResolved(i + 1)).flat();
      for (const event of events) await queue.enqueue(event);
      await until(
        async () => {
          const records = await streamRecords(redis);
          return (
            settledDeliveries(records, 'slack-api') >= events.length &&
            settledDeliveries(records, 'slack') >= events.length * hooks.length &&
            settledDeliveries(records, 'email') >= events.length
          );
        },
        40_000,
        200,
      );
      const webhookThreads = [...fake.webhookThreads().values()];
      const webhookPosted = new Set(
        fake.webhookPosts.map((p) => `${p.path} ${p.event?.alertId} ${p.event?.key}`),
      );
      const emailThreads = new Map<string, SmtpReceiver['received']>();
      for (const message of smtp!.received) {
        const id = message.event?.alertId ?? '?';
        emailThreads.set(id, [...(emailThreads.get(id) ?? []), message]);
      }
      const emailed = new Set(smtp!.received.map((m) => `${m.event?.alertId} ${m.event?.key}`));
      const expectedEmails = new Set(events.map(eventId));
      const counts = {
        channel: conversationCounts(fake, events),
        webhookLost: events.length * hooks.length - webhookPosted.size,
        webhookOutOfOrder: webhookThreads.filter((posts) => !inEventOrder(posts)).length,
        emailLost: [...expectedEmails].filter((id) => !emailed.has(id)).length,
        emailOutOfOrder: [...emailThreads.values()].filter((messages) => !inEventOrder(messages)).length,
      };
      console.log(
        `webhooks and email, 3 workers, ${alerts} alerts: channel ${formatCounts(counts.channel)}; ` +
          `webhooks: ${webhookPosted.size} posted, ${counts.webhookLost} lost, ${counts.webhookOutOfOrder} of ${webhookThreads.length} (webhook, alert) out of order; ` +
          `email: ${emailed.size} sent, ${counts.emailLost} lost, ${counts.emailOutOfOrder} of ${emailThreads.size} alerts out of order`,
      );
      expect(counts.webhookLost).toBe(0);
      expect(counts.webhookOutOfOrder).toBe(0);
      expect(counts.emailLost).toBe(0);
      expect(counts.emailOutOfOrder).toBe(0);
      expect(smtp!.received.every((m) => m.to.length === RECIPIENTS.length)).toBe(true);
      expect(counts.channel.lost).toBe(0);
      expect(counts.channel.outOfOrder).toBe(0);
      expect(counts.channel.parents).toBe(alerts);
      expect(counts.channel.outsideThread).toBe(0);
    },
    ceiling(90_000),
  );
});
