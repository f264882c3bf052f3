import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationQueue } from '../src/index.js';
import { tenant, until } from '../src/testing/fixtures.js';
import { exitOf, forkScript, startWorkerProcess } from '../src/testing/processes.js';
import { startRedis, type TestRedis } from '../src/testing/redis-server.js';
import { type Receiver, startReceiver } from '../src/testing/webhook-receiver.js';

let redis: TestRedis;
let receiver: Receiver;
const children: ChildProcess[] = [];
beforeAll(async () => {
  redis = await startRedis();
  receiver = await startReceiver();
});
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await receiver?.close();
  await redis?.stop();
});

describe('the same event enqueued 50 times at once from two processes', () => {
  it('is one job, delivered once per target', async () => {
    const producers = await Promise.all(
      [0, 1].map(() =>
        forkScript('./producer-process.ts', { REDIS_PATH: redis.connection.path, COUNT: '25' }),
      ),
    );
    children.push(...producers);
    const ids = producers.map(
      (p) =>
        new Promise<string[]>((resolve) => p.once('message', (m) => resolve((m as { ids: string[] }).ids))),
    );
    for (const p of producers) p.send('go');
    const all = (await Promise.all(ids)).flat();
    await Promise.all(producers.map(exitOf));
    expect(all).toHaveLength(50);
    expect(new Set(all).size).toBe(1);

    const queue = createNotificationQueue({ connection: redis.connection });
    const counts = await redis.client().llen('{pytake-notify}:events:wait');
    expect(counts).toBe(1);

    const worker = await startWorkerProcess({
      redisPath: redis.connection.path,
      tenants: [tenant(receiver.base, 3)],
      options: { limits: { slack: false } },
    });
    children.push(worker);
    expect(
      await until(
        async () =>
          (await queue.status(all[0]!))?.targets.filter((t) => t.state === 'delivered').length === 3,
        30_000,
      ),
    ).toBe(true);
    // Enqueued again after delivery, within the dedup TTL: still the same job, nothing sent again.
    expect((await queue.enqueue((await import('../src/testing/fixtures.js')).alertEvent(1))).id).toBe(all[0]);
    await new Promise((r) => setTimeout(r, 500));
    expect(receiver.accepted()).toHaveLength(3);
    expect(new Set(receiver.accepted().map((r) => r.path)).size).toBe(3);
    await queue.close();
    worker.kill('SIGTERM');
    expect(await exitOf(worker)).toBe(0);
  });
});
