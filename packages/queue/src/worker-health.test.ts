import { createStaticDirectory } from '@pytake/notify-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker, type DeliveryWorker } from './delivery-worker.js';
import { serveWorkerHealth } from './health-server.js';
import { createNotificationQueue } from './notification-queue.js';
import { alertEvent, render, tenant, until } from './testing/fixtures.js';
import { createHttpChannel } from './testing/http-channel.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';
import { workerHealth } from './worker-health.js';

let redis: TestRedis;
const open: DeliveryWorker[] = [];
beforeAll(async () => {
  redis = await startRedis();
});
afterAll(async () => {
  await Promise.all(open.map((w) => w.close({ timeoutMs: 1000 })));
  await redis?.stop();
});

const startWorker = () => {
  const worker = createDeliveryWorker({
    connection: redis.connection,
    directory: createStaticDirectory([tenant('http://127.0.0.1:9', 1)]),
    routes: { slack: { channel: createHttpChannel(), render } },
    redisChecks: { persistence: false },
    // Redis is stopped on purpose here.
    onError: () => {},
  });
  open.push(worker);
  return worker;
};

describe('workerHealth()', () => {
  it('is ready with Redis; without it, live but not ready; ready again once Redis is back', async () => {
    const worker = startWorker();
    const health = workerHealth(worker, { pingTimeoutMs: 500 });
    expect(health.live()).toEqual({ ok: true, state: 'starting' });
    await worker.ready();
    expect(await health.ready()).toEqual({ ok: true, state: 'running' });

    await redis.kill();
    expect(await until(async () => !(await health.ready()).ok, 20_000)).toBe(true);
    const down = await health.ready();
    expect(down.ok).toBe(false);
    expect(down.reason).toMatch(/^redis_(unreachable|timeout)$/);
    expect(health.live()).toEqual({ ok: true, state: 'running' });

    await redis.restart();
    expect(await until(async () => (await health.ready()).ok, 60_000)).toBe(true);
    expect(health.live().ok).toBe(true);
    await worker.close();
  }, 120_000);

  it('is not ready while closing, and live until closed', async () => {
    const worker = startWorker();
    const health = workerHealth(worker);
    await worker.ready();
    const closed = worker.close({ timeoutMs: 5000 });
    expect(await health.ready()).toEqual({ ok: false, state: 'closing', reason: 'closing' });
    expect(health.live().ok).toBe(true);
    await closed;
    expect(await health.ready()).toMatchObject({ ok: false, state: 'closed' });
  }, 60_000);

  it('refuses anything but a worker of createDeliveryWorker()', () => {
    expect(() => workerHealth({} as DeliveryWorker)).toThrow(/createDeliveryWorker/);
  });
});

describe('serveWorkerHealth()', () => {
  it('answers /livez and /readyz with 200 or 503 and a small JSON body, and closes with the worker', async () => {
    // A send that waits until the test lets it go, so that the worker is closing for that long.
    let sending = false;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const worker = createDeliveryWorker({
      connection: redis.connection,
      directory: createStaticDirectory([tenant('http://127.0.0.1:9', 1)]),
      routes: {
        slack: {
          channel: {
            kind: 'slack',
            send: async () => {
              sending = true;
              await gate;
              return { attempts: 1, durationMs: 0 };
            },
          },
          render,
        },
      },
      limits: false,
      prefix: '{health-http}',
      redisChecks: { persistence: false },
    });
    open.push(worker);
    const server = await serveWorkerHealth(worker, { host: '127.0.0.1', port: 0 });
    const get = async (path: string) => {
      const response = await fetch(`http://127.0.0.1:${server.port}${path}`);
      return { status: response.status, body: await response.json() };
    };
    await worker.ready();
    expect(await get('/livez')).toEqual({ status: 200, body: { ok: true, state: 'running' } });
    expect(await get('/readyz')).toEqual({ status: 200, body: { ok: true, state: 'running' } });
    expect((await get('/other')).status).toBe(404);

    const queue = createNotificationQueue({ connection: redis.connection, prefix: '{health-http}' });
    await queue.enqueue(alertEvent(1));
    await queue.close();
    expect(await until(() => sending, 10_000)).toBe(true);
    const closed = worker.close({ timeoutMs: 60_000 });
    const during = await get('/readyz');
    expect(during).toEqual({ status: 503, body: { ok: false, state: 'closing', reason: 'closing' } });
    expect(await get('/livez')).toEqual({ status: 200, body: { ok: true, state: 'closing' } });
    release();
    await closed;
    expect(
      await until(async () => {
        try {
          await fetch(`http://127.0.0.1:${server.port}/livez`);
          return false;
        } catch {
          return true;
        }
      }, 10_000),
    ).toBe(true);
    const body = JSON.stringify(during.body);
    expect(body).not.toContain(redis.connection.path);
  }, 60_000);
});
