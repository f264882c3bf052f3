import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationQueue, type NotificationQueue } from '../src/index.js';
import {
  acknowledgedAlert,
  CHANNEL,
  conversationEvent,
  conversationTenant,
  conversationWorkerOptions,
  settledDeliveries,
  streamRecords,
  type WorkerPool,
  workerPool,
} from '../src/testing/conversation-scenario.js';
import { type FakeSlackApi, startFakeSlackApi } from '../src/testing/fake-slack-api.js';
import { ceiling, until } from '../src/testing/fixtures.js';
import { startRedis, type TestRedis } from '../src/testing/redis-server.js';

// A button press (Acknowledge) is handled by the app, in a process that posted nothing: it asks the
// queue to update the alert's messages, and a worker edits every Web API message that any worker
// posted for the alert, by the ts the queue recorded.

let redis: TestRedis;
let queue: NotificationQueue;
let fake: FakeSlackApi | undefined;
let pool: WorkerPool | undefined;

beforeAll(async () => {
  redis = await startRedis();
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  await pool?.stopAll();
  await fake?.close();
  [pool, fake] = [undefined, undefined];
  await redis.client().flushall();
});
afterAll(async () => {
  await queue?.close();
  await redis?.stop();
});

describe('queue.updateAlertMessages(alert), called from a process that posted nothing', () => {
  it(
    'edits every message the workers posted for the alert (its parent too) with chat.update, by the recorded ts',
    async () => {
      fake = await startFakeSlackApi({ delay: { seed: 41, maxMs: 20 } });
      pool = workerPool({
        redisPath: redis.connection.path,
        tenants: [conversationTenant()],
        apiBase: fake.apiBase,
        options: conversationWorkerOptions(),
      });
      await Promise.all([pool.start(), pool.start(), pool.start()]);
      const alerts = [1, 2, 3, 4, 5];
      const events = alerts.flatMap((n) => [
        conversationEvent(n, 'alert.created', 0),
        conversationEvent(n, 'alert.escalated', 10),
      ]);
      for (const event of events) await queue.enqueue(event);
      expect(
        await until(
          async () => settledDeliveries(await streamRecords(redis), 'slack-api') >= events.length,
          30_000,
          200,
        ),
      ).toBe(true);
      const posted = new Map(
        alerts.map((n) => [
          n,
          fake!.posts
            .filter((p) => p.channel === CHANNEL && p.event?.alertId === `alert-${n}`)
            .map((p) => p.ts),
        ]),
      );
      for (const n of alerts) await queue.updateAlertMessages(acknowledgedAlert(n));

      const acknowledged = (n: number) =>
        new Set(
          fake!.edits
            .filter((e) => e.event?.alertId === `alert-${n}` && e.event.status === 'acknowledged')
            .map((e) => e.ts),
        );
      await until(() => alerts.every((n) => posted.get(n)!.every((ts) => acknowledged(n).has(ts))), 30_000);
      const missing = alerts.flatMap((n) => posted.get(n)!.filter((ts) => !acknowledged(n).has(ts)));
      console.log(
        `updateAlertMessages for ${alerts.length} alerts: ${[...posted.values()].flat().length} messages posted, ` +
          `${fake.edits.length} edits, ${missing.length} messages not edited`,
      );
      for (const n of alerts) {
        const parent = fake.threads().get(`${CHANNEL} alert-${n}`)?.parents[0];
        expect(parent && acknowledged(n).has(parent.ts), `parent of alert-${n} edited`).toBe(true);
        expect([...acknowledged(n)].sort()).toEqual([...posted.get(n)!].sort());
      }
      // Only workers post and edit: the app's process holds no Slack token.
      expect(fake.edits.every((e) => e.token.startsWith('xoxb-test-worker-'))).toBe(true);
    },
    ceiling(60_000),
  );
});
