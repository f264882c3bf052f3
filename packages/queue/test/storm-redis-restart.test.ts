import type { ChildProcess } from 'node:child_process';
import type { AlertEventInput } from '@pytake/notify-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationQueue, type NotificationQueue, QueueUnavailableError } from '../src/index.js';
import { ceiling, until, webhookPath } from '../src/testing/fixtures.js';
import { exitOf, startWorkerProcess } from '../src/testing/processes.js';
import { startRedis, type TestRedis } from '../src/testing/redis-server.js';
import {
  foldedSettled,
  isCritical,
  readStreamRecords,
  stormEvent,
  stormTenant,
  stormWorkerOptions,
  tallyStorm,
  toldByKey,
} from '../src/testing/storm-scenario.js';
import { type Receiver, startReceiver } from '../src/testing/webhook-receiver.js';

// Storm control through a Redis crash: redis-server killed with -9 while events are held for their
// digests, and started again on its AOF (appendfsync always). The storm's state, the held events, the
// digests due and the digests' delayed jobs live in Redis and must come back with it: every event
// reaches the channel once, alone or in exactly one digest. Scaled time: intervals of 2 s.

let redis: TestRedis;
let receiver: Receiver;
let queue: NotificationQueue;
const children: ChildProcess[] = [];

const STORM_EVENTS = 200;
const CRITICAL_EVERY = 40; // 5 criticals, spread evenly
const WORKERS = 2;
const CONCURRENCY = 8;
const digestsDue = '{pytake-notify}:digests-due';

beforeAll(async () => {
  redis = await startRedis({ aof: true });
  receiver = await startReceiver({ latencyMs: 2 });
  queue = createNotificationQueue({ connection: redis.connection, connectTimeoutMs: 500 });
});
afterAll(async () => {
  for (const child of children.splice(0)) {
    child.kill('SIGKILL');
    await exitOf(child);
  }
  await queue?.close();
  await receiver?.close();
  await redis?.stop();
});

const worker = async () => {
  const child = await startWorkerProcess({
    redisPath: redis.connection.path,
    tenants: [stormTenant(receiver.base)],
    digests: true,
    options: stormWorkerOptions(CONCURRENCY),
  });
  children.push(child);
  return child;
};

/** Enqueues `event`, again while the producer has not reconnected yet (bounded). */
async function enqueue(event: AlertEventInput): Promise<void> {
  for (let tries = 0; ; tries++) {
    try {
      await queue.enqueue(event);
      return;
    } catch (error) {
      if (!(error instanceof QueueUnavailableError) || tries >= 100) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

const told = () => toldByKey(receiver, webhookPath(0));
const readRecords = () => readStreamRecords(redis.client());

describe('storm control through a redis-server kill -9 (AOF, appendfsync always) and restart', () => {
  it(
    `a storm of ${STORM_EVENTS} events through ${WORKERS} workers, Redis killed while digests are held: each event once, alone or in one digest; criticals alone`,
    async () => {
      for (let i = 0; i < WORKERS; i++) await worker();
      const probe = redis.client();
      // The storm arrives over about 4 s at an even pace, Redis down for a second in the middle.
      let started = Date.now();
      let heldAtKill = 0;
      let foldedAtKill = 0;
      for (let n = 1; n <= STORM_EVENTS; n++) {
        await enqueue(stormEvent(n, CRITICAL_EVERY));
        if (n === STORM_EVENTS / 2) {
          // Digests held: events folded, their digest jobs waiting for the interval to end.
          expect(await until(async () => (await probe.zcard(digestsDue)) > 0, 30_000)).toBe(true);
          heldAtKill = await probe.zcard(digestsDue);
          foldedAtKill = (await readRecords()).filter((r) => r.status === 'digested').length;
          await redis.kill();
          await new Promise((r) => setTimeout(r, 1000));
          await redis.restart();
          started = Date.now() - 2000;
        }
        const due = started + (n * 4000) / STORM_EVENTS;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      }

      const stormAlerts = () => new Set([...told().values()].flat());
      expect(await until(() => stormAlerts().size === STORM_EVENTS, 60_000)).toBe(true);
      // Every folded event's digest recorded, then past the claim TTL: a resend of a send in flight
      // when Redis died would be in by now.
      expect(await until(async () => foldedSettled(await readRecords()), 60_000, 200)).toBe(true);
      expect(await until(async () => (await probe.zcard(digestsDue)) === 0, 30_000, 200)).toBe(true);
      await new Promise((r) => setTimeout(r, ceiling(2000)));

      const storm = told();
      const { messagesOf, twice, digests, alone, aloneAlerts } = tallyStorm(storm);
      const resends = receiver.accepted().filter((r) => r.path === webhookPath(0)).length - storm.size;

      const records = await readRecords();
      const folded = records.filter((r) => r.status === 'digested');
      // Each folded event is in the message of the digest its record names, and only there.
      const notInItsDigest = folded.filter((f) => {
        const keys = messagesOf.get(f.alertId) ?? [];
        return keys.length !== 1 || !keys[0]!.includes(`:digest:${f.digestId}:`);
      });
      const foldedAlerts = new Set(folded.map((r) => r.alertId));
      console.log(
        `storm through a Redis kill -9: ${STORM_EVENTS} events, ${heldAtKill} digests held and ${foldedAtKill} events folded at the kill; ` +
          `${folded.length} folded, ${aloneAlerts.length} alone; ${storm.size} messages (${alone.length} alone, ${digests.length} digests), ` +
          `${resends} resends, ${twice.length} events told other than once, ${notInItsDigest.length} folded events not in their digest`,
      );
      expect(heldAtKill).toBeGreaterThan(0);
      expect(twice).toEqual([]);
      expect(notInItsDigest).toEqual([]);
      expect(folded).toHaveLength(foldedAlerts.size);
      expect(aloneAlerts.filter((alert) => foldedAlerts.has(alert))).toEqual([]);
      expect(foldedAlerts.size + aloneAlerts.length).toBe(STORM_EVENTS);
      const criticals = STORM_EVENTS / CRITICAL_EVERY;
      expect(aloneAlerts.filter((alert) => isCritical(alert, CRITICAL_EVERY))).toHaveLength(criticals);
      expect([...foldedAlerts].filter((alert) => isCritical(alert, CRITICAL_EVERY))).toEqual([]);
      // Only sends in flight when Redis died may go twice (same key): at most the workers' concurrency.
      expect(resends).toBeLessThanOrEqual(WORKERS * CONCURRENCY);
      expect(await queue.deadLetters.list()).toEqual([]);
    },
    ceiling(180_000),
  );
});
