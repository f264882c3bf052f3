import {
  createStaticDirectory,
  type DeliveryRecord,
  NotifyError,
  type TenantConfigInput,
  type TenantDirectory,
} from '@pytake/notify-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker, type DeliveryWorker } from './delivery-worker.js';
import { createNotificationQueue, type NotificationQueue } from './notification-queue.js';
import { alertEvent, ceiling, render, tenant, until } from './testing/fixtures.js';
import { createHttpChannel } from './testing/http-channel.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';
import { type Receiver, startReceiver } from './testing/webhook-receiver.js';
import type { DeliveryWorkerOptions } from './worker-options.js';

// Slower than close()'s deadline below: every send is still unanswered when the deadline passes.
const answerAfterMs = 1500;
const deadlineMs = 200;
// The channels' own timeout as the worker knows it: close() waits this long for sends already written.
const sendTimeoutMs = ceiling(3000);

let redis: TestRedis;
let receiver: Receiver;
let queue: NotificationQueue;
const open: DeliveryWorker[] = [];

beforeAll(async () => {
  redis = await startRedis();
  receiver = await startReceiver({ latencyMs: answerAfterMs });
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  for (const worker of open.splice(0)) await worker.close({ timeoutMs: 0 });
  await redis.client().flushall();
  receiver.received.length = 0;
});
afterAll(async () => {
  await queue?.close();
  await receiver?.close();
  await redis?.stop();
});

// org-1 has three webhooks (a delivery job each), org-2 one (delivered inside its event job).
const tenantsAt = (base: string): TenantConfigInput[] => [tenant(base, 3, 'org-1'), tenant(base, 1, 'org-2')];

const startWorker = (options: Partial<DeliveryWorkerOptions> & { directory?: TenantDirectory } = {}) => {
  const worker = createDeliveryWorker({
    connection: redis.connection,
    directory: createStaticDirectory(tenantsAt(receiver.base)),
    routes: { slack: { channel: createHttpChannel(), render } },
    limits: { slack: false },
    backoff: { baseDelayMs: 20, maxDelayMs: 100 },
    // Short, so that a claim left behind would let an alert go again within the test.
    claimTtlMs: 1000,
    lockDurationMs: 1000,
    sendTimeoutMs,
    ...options,
  });
  open.push(worker);
  return worker;
};

const enqueueAll = async () => {
  for (const n of [1, 2]) await queue.enqueue(alertEvent(n, 'org-1'));
  for (const n of [3, 4]) await queue.enqueue(alertEvent(n, 'org-2'));
  return 2 * 3 + 2;
};

/** Nothing waiting, delayed or running in the events and Slack queues (no worker takes email here). */
const quiet = async () => {
  const counts = await queue.jobCounts();
  return [counts.events, counts['deliveries-slack']].every((c) => c.waiting + c.delayed + c.active === 0);
};

/** Accepted requests per idempotency key. */
const perKey = () => {
  const counts = new Map<string, number>();
  for (const r of receiver.accepted()) counts.set(r.key, (counts.get(r.key) ?? 0) + 1);
  return counts;
};

/** How long `close` took, or Infinity past `boundMs` (a close that waits for nothing it must). */
const timed = async (close: Promise<void>, boundMs: number) => {
  const started = Date.now();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<number>((resolve) => {
    timer = setTimeout(() => resolve(Number.POSITIVE_INFINITY), boundMs);
  });
  try {
    return await Promise.race([close.then(() => Date.now() - started), bound]);
  } finally {
    clearTimeout(timer);
  }
};

describe('createDeliveryWorker', () => {
  describe('close()', () => {
    it('never aborts a send already written: past its deadline it waits for the answers, and every alert arrives once', async () => {
      const records: DeliveryRecord[] = [];
      const first = startWorker({ onDelivery: (r) => records.push(r) });
      const total = await enqueueAll();
      expect(await until(() => receiver.arrived() === total, 20_000)).toBe(true);

      const tookMs = await timed(first.close({ timeoutMs: deadlineMs }), ceiling(deadlineMs + sendTimeoutMs));
      expect(tookMs).toBeLessThan(deadlineMs + sendTimeoutMs + ceiling(1000));
      // Answered while closing, and recorded.
      expect(records.filter((r) => r.status === 'delivered')).toHaveLength(total);

      // Another worker finds nothing left to send, now or once the claims would have expired.
      // (A job left behind would be delayed, waiting for its claim, or active: not quiet.)
      startWorker();
      expect(await until(quiet, 10_000)).toBe(true);
      expect(receiver.received).toHaveLength(total);
      expect([...perKey().values()]).toEqual(Array(total).fill(1));
      expect(await queue.deadLetters.list()).toEqual([]);
    });

    it('puts jobs still waiting for the directory back in the queue at once, without waiting for it', async () => {
      const answered = createStaticDirectory(tenantsAt(receiver.base));
      // org-1's event is planned, then its three deliveries wait; org-2's waits to be planned.
      const calls = { 'org-1': 0, 'org-2': 0 } as Record<string, number>;
      const waiting: TenantDirectory = {
        async get(organizationId) {
          if (calls[organizationId]!++ === 0 && organizationId === 'org-1')
            return answered.get(organizationId);
          return new Promise(() => {});
        },
      };
      const first = startWorker({ directory: waiting });
      const arrivedBefore = receiver.arrived();
      await queue.enqueue(alertEvent(1, 'org-1'));
      await queue.enqueue(alertEvent(3, 'org-2'));
      const total = 3 + 1;
      expect(await until(() => calls['org-1'] === 4 && calls['org-2'] === 1, 20_000)).toBe(true);

      const tookMs = await timed(first.close({ timeoutMs: deadlineMs }), ceiling(deadlineMs + sendTimeoutMs));
      expect(tookMs).toBeLessThan(deadlineMs + sendTimeoutMs);
      expect(receiver.arrived()).toBe(arrivedBefore);

      const records: DeliveryRecord[] = [];
      startWorker({ onDelivery: (r) => records.push(r) });
      expect(await until(async () => perKey().size === total && (await quiet()), 20_000)).toBe(true);
      expect([...perKey().values()]).toEqual(Array(total).fill(1));
      // Back without spending an attempt.
      expect(records.map((r) => r.attempts)).toEqual(Array(total).fill(1));
      expect(await queue.deadLetters.list()).toEqual([]);
    });

    it('leaves a send unanswered past sendTimeoutMs in doubt: another worker sends it once its claim expired, not as a dead letter', async () => {
      const records: DeliveryRecord[] = [];
      const directory = createStaticDirectory([tenant(receiver.base, 1)]);
      let started = 0;
      const stuck = startWorker({
        directory,
        routes: {
          slack: {
            render,
            // A send that only ends when aborted (or after 30 s).
            channel: {
              kind: 'slack',
              send: (_d, o) =>
                new Promise((_resolve, reject) => {
                  started++;
                  const timer = setTimeout(() => reject(new Error('not aborted')), 30_000);
                  o?.signal?.addEventListener('abort', () => {
                    clearTimeout(timer);
                    reject(new NotifyError('aborted', { code: 'aborted' }));
                  });
                }),
            },
          },
        },
        sendTimeoutMs: 300,
        onDelivery: (r) => records.push(r),
      });
      const { id } = await queue.enqueue(alertEvent(1));
      expect(await until(() => started === 1, 20_000)).toBe(true);
      const tookMs = await timed(stuck.close({ timeoutMs: deadlineMs }), ceiling(deadlineMs + 300));
      expect(tookMs).toBeLessThan(ceiling(deadlineMs + 300));
      expect(await queue.deadLetters.list()).toEqual([]);

      startWorker({ directory, onDelivery: (r) => records.push(r) });
      expect(
        await until(() => records.some((r) => r.channel === 'slack' && r.status === 'delivered'), 20_000),
      ).toBe(true);
      expect(receiver.accepted()).toHaveLength(1);
      expect(records.filter((r) => r.status === 'failed')).toEqual([]);
      expect((await queue.status(id))?.targets.find((t) => t.route === 'slack')?.state).toBe('delivered');
    });
  });
});
