import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationQueue, type NotificationQueue } from '../src/index.js';
import {
  type ConversationRun,
  finishConversation,
  formatCounts,
  maxSendsInFlight,
  startConversation,
  warned,
} from '../src/testing/conversation-scenario.js';
import { ceiling, until } from '../src/testing/fixtures.js';
import { startRedis, type TestRedis } from '../src/testing/redis-server.js';

// The conversation scenario of conversation.test.ts through a Redis crash: the order of each alert's
// events and its thread's parent ts live in Redis, and must come back with it from the AOF.

let redis: TestRedis;
let queue: NotificationQueue;
let run: ConversationRun | undefined;

beforeAll(async () => {
  redis = await startRedis({ aof: true });
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  await run?.pool.stopAll();
  await run?.fake.close();
  run = undefined;
});
afterAll(async () => {
  await queue?.close();
  await redis?.stop();
});

const ALERTS = 40;
const WORKERS = 3;
const CONCURRENCY = 4;

describe('redis-server killed with -9 (AOF, appendfsync always) mid-run and restarted on its data', () => {
  it(
    '40 alerts through 3 workers: one parent per alert but for sends in flight, replies in their thread, in order, parents edited, none lost',
    async () => {
      run = await startConversation(redis, {
        alerts: ALERTS,
        workers: WORKERS,
        concurrency: CONCURRENCY,
        seed: 21,
        maxDelayMs: 40,
      });
      const { fake } = run;
      for (const event of run.events) await queue.enqueue(event);
      expect(await until(() => fake.posts.length >= 30, 60_000, 20)).toBe(true);
      const killedAt = Date.now();
      await redis.kill();
      const atKill = fake.posts.length;
      await new Promise((r) => setTimeout(r, 1000));
      await redis.restart();
      const { counts, records, settled } = await finishConversation(run, redis, {
        tokens: new Set(run.workers.map((w) => w.token)),
        at: killedAt,
      });
      const inFlightBound = run.workers.reduce((n, w) => n + maxSendsInFlight(w.concurrency), 0);
      const outOfOrderRecords = warned(records, 'out_of_order').length;
      console.log(
        `conversation, Redis kill -9 after ${atKill} of ${run.events.length} posts, restarted 1 s later: ` +
          `${formatCounts(counts)}; ${settled} deliveries with a final record, ` +
          `${outOfOrderRecords} records with an out_of_order warning (in-flight bound ${inFlightBound})`,
      );
      expect(atKill).toBeLessThan(run.events.length);
      expect(counts.lost).toBe(0);
      expect(counts.secondParentsUnexplained).toBe(0);
      // Sends in flight when Redis died cannot store what they did: those, and only those, may go twice.
      expect(counts.secondParentsAfterKill).toBeLessThanOrEqual(inFlightBound);
      expect(counts.parents).toBe(ALERTS + counts.secondParentsAfterKill);
      expect(counts.outsideThread).toBe(0);
      expect(counts.outOfOrder).toBe(0);
      expect(outOfOrderRecords).toBe(0);
      expect(counts.editedToResolved).toBe(ALERTS);
      expect(counts.duplicates).toBeLessThanOrEqual(inFlightBound);
      expect(await queue.deadLetters.list()).toEqual([]);
    },
    ceiling(120_000),
  );
});
