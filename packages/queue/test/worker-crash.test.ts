import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationQueue, type NotificationQueue } from '../src/index.js';
import { alertEvent, ceiling, tenant, until } from '../src/testing/fixtures.js';
import { exitOf, startWorkerProcess } from '../src/testing/processes.js';
import { startRedis, type TestRedis } from '../src/testing/redis-server.js';
import { type Receiver, startReceiver } from '../src/testing/webhook-receiver.js';

let redis: TestRedis;
let receiver: Receiver;
let queue: NotificationQueue;
const children: ChildProcess[] = [];

beforeAll(async () => {
  redis = await startRedis();
  receiver = await startReceiver({ latencyMs: 2 });
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await exitOf(child);
  }
  await redis.client().flushall();
  receiver.received.length = 0;
});
afterAll(async () => {
  await queue?.close();
  await receiver?.close();
  await redis?.stop();
});

// Three webhooks per event: one delivery job each. One webhook: delivered inside the event job.
let WEBHOOKS = 3;

const worker = async (options: object = {}, extra: object = {}) => {
  const child = await startWorkerProcess({
    redisPath: redis.connection.path,
    tenants: [tenant(receiver.base, WEBHOOKS)],
    options: {
      limits: { slack: false },
      concurrency: 8,
      // Short, to find a killed worker's jobs soon, but through ceiling(): a live worker renews its
      // locks from its event loop, and on a loaded machine (load average 20 on 2 cores) a 2 s lock
      // expired under a live worker twice, which BullMQ fails as "job stalled more than allowable limit".
      lockDurationMs: ceiling(2000),
      stalledIntervalMs: ceiling(1000),
      // Longer than any send here, even on a loaded machine: a lock lost while its worker lives is no duplicate.
      claimTtlMs: ceiling(5000),
      backoff: { baseDelayMs: 50, maxDelayMs: 500 },
      ...options,
    },
    ...extra,
  });
  children.push(child);
  return child;
};

const enqueue = async (events: number) => {
  for (let start = 1; start <= events; start += 100) {
    await Promise.all(
      Array.from({ length: Math.min(100, events - start + 1) }, (_, i) =>
        queue.enqueue(alertEvent(start + i)),
      ),
    );
  }
};

/** Accepted requests per idempotency key. */
const perKey = () => {
  const counts = new Map<string, number>();
  for (const r of receiver.accepted()) counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
  return counts;
};

describe.each([
  { webhooks: 3, path: 'one delivery job per target' },
  { webhooks: 1, path: 'a single target delivered in its event job' },
])('worker processes, $path', ({ webhooks }) => {
  beforeAll(() => {
    WEBHOOKS = webhooks;
  });

  it(
    'SIGTERM and a restart: 0 lost, 0 duplicates',
    async () => {
      const events = 100;
      const total = events * WEBHOOKS;
      await enqueue(events);
      const first = await worker();
      expect(await until(() => receiver.accepted().length >= total / 5, 60_000)).toBe(true);
      first.kill('SIGTERM');
      expect(await exitOf(first)).toBe(0);
      const atStop = receiver.accepted().length;
      await worker();
      expect(await until(() => perKey().size === total, 90_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 1000));
      const counts = perKey();
      const duplicates = receiver.accepted().length - counts.size;
      console.log(
        `SIGTERM restart: ${total} deliveries, ${atStop} before the stop, ${duplicates} duplicates`,
      );
      expect(counts.size).toBe(total);
      expect(duplicates).toBe(0);
      expect(await queue.deadLetters.list()).toEqual([]);
    },
    ceiling(180_000),
  );

  it(
    'kill -9 of one of two workers mid-run: 0 lost, duplicates at most the sends in flight',
    async () => {
      const events = 1000;
      const total = events * WEBHOOKS;
      const started = Date.now();
      await enqueue(events);
      const concurrency = 8;
      const [victim] = [await worker({ concurrency }), await worker({ concurrency })];
      expect(await until(() => receiver.accepted().length >= total / 4, 120_000)).toBe(true);
      victim!.kill('SIGKILL');
      await exitOf(victim!);
      const atKill = receiver.accepted().length;
      expect(await until(() => perKey().size === total, 180_000)).toBe(true);
      // Past the claim TTL: a resend of a send the killed worker had in flight would be in by now.
      await new Promise((r) => setTimeout(r, 6000));
      const counts = perKey();
      const duplicates = receiver.accepted().length - counts.size;
      console.log(
        `kill -9: ${total} deliveries, ${atKill} before the kill, ${duplicates} duplicates (bound ${concurrency}), ${Date.now() - started} ms`,
      );
      expect(counts.size).toBe(total);
      expect(duplicates).toBeLessThanOrEqual(concurrency);
      expect(await queue.deadLetters.list()).toEqual([]);
    },
    ceiling(360_000),
  );

  it(
    'a worker whose event loop blocks past its lock: 0 duplicates',
    async () => {
      await worker(
        { lockDurationMs: 1000, stalledIntervalMs: 500, claimTtlMs: 15_000 },
        { blockFirstSendMs: 4000 },
      );
      await worker({ lockDurationMs: 1000, stalledIntervalMs: 500, claimTtlMs: 15_000 });
      await enqueue(10);
      const total = 10 * WEBHOOKS;
      expect(await until(() => perKey().size === total, 90_000)).toBe(true);
      await new Promise((r) => setTimeout(r, 3000));
      expect(receiver.accepted().length).toBe(total);
    },
    ceiling(180_000),
  );
});
