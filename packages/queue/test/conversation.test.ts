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

// The conversation an alert has with a threaded Slack channel when several worker processes share
// its events: one parent message, every later event a reply in its thread, in event order, and the
// parent edited to the resolution, whichever process holds which event.

let redis: TestRedis;
let queue: NotificationQueue;
let run: ConversationRun | undefined;

beforeAll(async () => {
  redis = await startRedis();
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  await run?.pool.stopAll();
  await run?.fake.close();
  run = undefined;
  await redis.client().flushall();
});
afterAll(async () => {
  await queue?.close();
  await redis?.stop();
});

const ALERTS = 40;
const WORKERS = 3;
const CONCURRENCY = 4;

describe('40 alerts created, escalated and resolved back to back, through 3 worker processes', () => {
  it(
    'without a kill: one parent per alert, every reply in its thread, in order, every parent edited to resolved, none lost',
    async () => {
      run = await startConversation(redis, {
        alerts: ALERTS,
        workers: WORKERS,
        concurrency: CONCURRENCY,
        seed: 11,
        maxDelayMs: 40,
      });
      for (const event of run.events) await queue.enqueue(event);
      const { counts, records, settled } = await finishConversation(run, redis);
      const outOfOrderRecords = warned(records, 'out_of_order').length;
      console.log(
        `conversation, no kill: ${formatCounts(counts)}; ${settled} deliveries with a final record, ` +
          `${outOfOrderRecords} records with an out_of_order warning`,
      );
      expect(counts.lost).toBe(0);
      expect(counts.parents).toBe(ALERTS);
      expect(counts.replies).toBe(ALERTS * 2);
      expect(counts.secondParentsUnexplained).toBe(0);
      expect(counts.outsideThread).toBe(0);
      expect(counts.outOfOrder).toBe(0);
      expect(outOfOrderRecords).toBe(0);
      expect(counts.editedToResolved).toBe(ALERTS);
      expect(counts.duplicates).toBe(0);
      expect(await queue.deadLetters.list()).toEqual([]);
    },
    ceiling(90_000),
  );

  it(
    'with one worker killed -9 mid-run and restarted: the same, but for second parents of the sends it had in flight',
    async () => {
      run = await startConversation(redis, {
        alerts: ALERTS,
        workers: WORKERS,
        concurrency: CONCURRENCY,
        seed: 12,
        maxDelayMs: 40,
      });
      const { fake, pool } = run;
      for (const event of run.events) await queue.enqueue(event);
      expect(await until(() => fake.posts.length >= 30, 60_000, 20)).toBe(true);
      const victim = run.workers[0]!;
      const openAtKill = fake.openRequests(victim.token);
      const killedAt = Date.now();
      await pool.kill(victim);
      const atKill = fake.posts.length;
      await pool.start();
      const { counts, records, settled } = await finishConversation(run, redis, {
        tokens: new Set([victim.token]),
        at: killedAt,
      });
      const outOfOrderRecords = warned(records, 'out_of_order').length;
      console.log(
        `conversation, kill -9 of 1 of ${WORKERS} workers after ${atKill} of ${run.events.length} posts ` +
          `(${openAtKill} of its requests unanswered at the kill, concurrency ${victim.concurrency}): ` +
          `${formatCounts(counts)}; ${settled} deliveries with a final record, ` +
          `${outOfOrderRecords} records with an out_of_order warning`,
      );
      // The kill came mid-run, or this case tests nothing more than the first.
      expect(atKill).toBeLessThan(run.events.length);
      expect(counts.lost).toBe(0);
      expect(counts.secondParentsUnexplained).toBe(0);
      // Only a parent post in flight at the kill, whose ts the killed worker never stored, may go twice.
      expect(counts.secondParentsAfterKill).toBeLessThanOrEqual(maxSendsInFlight(victim.concurrency));
      expect(counts.parents).toBe(ALERTS + counts.secondParentsAfterKill);
      expect(counts.outsideThread).toBe(0);
      expect(counts.outOfOrder).toBe(0);
      expect(outOfOrderRecords).toBe(0);
      expect(counts.editedToResolved).toBe(ALERTS);
      expect(counts.duplicates).toBeLessThanOrEqual(maxSendsInFlight(victim.concurrency));
      expect(await queue.deadLetters.list()).toEqual([]);
    },
    ceiling(120_000),
  );
});
