import { createNotificationQueue, type NotificationQueue } from '@pytake/notify-queue';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertEvent, type Program, postJson, startProgram, until } from '../src/testing/programs.js';
import {
  alertIdsReceived,
  type Receiver,
  startReceiver,
  startRedis,
  type TestRedis,
  tenantsFile,
  workerEnv,
} from '../src/testing/setup.js';

// A rolling deploy of two workers while a service enqueues a steady stream: each old worker gets
// SIGTERM and its replacement starts, one after the other. Every event is delivered once, none is
// lost, and the probes answer all along.
const EVENTS = 200;
let redis: TestRedis;
let receiver: Receiver;
let service: Program;
let queue: NotificationQueue;
let tenants: string;
const programs: Program[] = [];

beforeAll(async () => {
  // Each webhook post takes 100 ms, so that every drain has sends in flight to wait for.
  [redis, receiver] = await Promise.all([startRedis({ aof: true }), startReceiver({ latencyMs: 100 })]);
  tenants = tenantsFile(receiver.base);
  service = await startProgram('service-enqueue', { REDIS_URL: redis.connection.path, SERVICE_PORT: '0' });
  queue = createNotificationQueue({ connection: redis.connection });
});
afterAll(async () => {
  await Promise.all([service?.stop(), ...programs.map((p) => p.stop('SIGKILL'))]);
  await queue?.close();
  await Promise.all([receiver?.close(), redis?.stop()]);
});

const startWorker = async () => {
  const worker = await startProgram('worker', workerEnv(redis, tenants));
  programs.push(worker);
  return worker;
};

// The workers this test sent SIGTERM, known before the signal goes: the worker's own "stopping" log
// line may reach this process after its probes' listener has closed.
const terminated = new Set<Program>();
const terminate = (worker: Program) => {
  terminated.add(worker);
  return worker.stop('SIGTERM');
};

/** Polls a worker's probes until it exits; keeps every answer (a refused connection as 0). */
function watchProbes(worker: Program) {
  const answers: { path: string; status: number; state?: string; stopping: boolean }[] = [];
  let exited = false;
  worker.exited().then(() => {
    exited = true;
  });
  const poll = async () => {
    while (!exited) {
      for (const path of ['/livez', '/readyz']) {
        try {
          const response = await fetch(`http://127.0.0.1:${worker.started.health}${path}`);
          const body = (await response.json()) as { state?: string };
          answers.push({
            path,
            status: response.status,
            state: body.state,
            stopping: terminated.has(worker),
          });
        } catch {
          // Asked after the fetch failed: a refused connection once SIGTERM was sent is the drain's end.
          if (!exited) answers.push({ path, status: 0, stopping: terminated.has(worker) });
        }
      }
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  const done = poll();
  return { answers, done };
}

describe('a rolling restart of the workers', () => {
  it('delivers every event exactly once while each worker is replaced, and the probes answer throughout', async () => {
    const first = [await startWorker(), await startWorker()];
    const probes = first.map(watchProbes);

    let sent = 0;
    const statuses: number[] = [];
    const stream = (async () => {
      for (let n = 0; n < EVENTS; n++) {
        statuses.push(
          (await postJson(`http://127.0.0.1:${service.started.listening}/alerts`, alertEvent(n))).status,
        );
        sent++;
        await new Promise((r) => setTimeout(r, 10));
      }
    })();

    const replacements: Program[] = [];
    for (const [i, old] of first.entries()) {
      expect(await until(() => sent >= (i + 1) * 60, 120_000)).toBe(true);
      // The orchestrator's order: the old one drains while its replacement starts.
      const [code, replacement] = await Promise.all([terminate(old), startWorker()]);
      expect(code).toBe(0);
      replacements.push(replacement);
      expect(await (await fetch(`http://127.0.0.1:${replacement.started.health}/readyz`)).json()).toEqual({
        ok: true,
        state: 'running',
      });
    }
    const replacementProbes = replacements.map(watchProbes);
    await stream;
    expect(statuses.filter((s) => s !== 202)).toEqual([]);

    // Every event was sent before the deploy ended; wait until the queue is idle, then count.
    expect(await until(() => alertIdsReceived(receiver).length >= EVENTS, 240_000, 100)).toBe(true);
    expect(
      await until(
        async () => {
          const counts = await queue.jobCounts();
          return Object.values(counts).every((c) => c.waiting + c.delayed + c.active === 0);
        },
        60_000,
        200,
      ),
    ).toBe(true);
    const received = alertIdsReceived(receiver);
    const times = new Map<string, number>();
    for (const id of received) times.set(id, (times.get(id) ?? 0) + 1);
    expect(times.size).toBe(EVENTS);
    expect([...times.entries()].filter(([, count]) => count !== 1)).toEqual([]);
    // Each drained worker delivered its share.
    for (const old of first) expect(old.lines.some((line) => line.delivery === 'delivered')).toBe(true);

    await Promise.all(probes.map((p) => p.done));
    for (const { answers } of probes) {
      // Live all along: the drain is no reason to restart the process. (The listener closes with the
      // worker, just before the process exits: a refused connection then is the end of the drain.)
      expect(
        answers.filter((a) => a.path === '/livez' && a.status !== 200 && !(a.status === 0 && a.stopping)),
      ).toEqual([]);
      // Ready before the SIGTERM; not ready once it drains.
      expect(answers.some((a) => a.path === '/readyz' && a.status === 200)).toBe(true);
      expect(
        answers.filter((a) => a.path === '/readyz' && a.status === 200 && a.state !== 'running'),
      ).toEqual([]);
    }
    // At least one drain was seen from outside: 503 with state closing, while still live.
    expect(
      probes.some(({ answers }) =>
        answers.some((a) => a.path === '/readyz' && a.status === 503 && a.state === 'closing'),
      ),
    ).toBe(true);

    for (const replacement of replacements) expect(await terminate(replacement)).toBe(0);
    await Promise.all(replacementProbes.map((p) => p.done));
    for (const { answers } of replacementProbes)
      expect(
        answers.filter((a) => a.path === '/livez' && a.status !== 200 && !(a.status === 0 && a.stopping)),
      ).toEqual([]);
  }, 600_000);
});
