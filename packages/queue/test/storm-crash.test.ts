import type { ChildProcess } from 'node:child_process';
import type { TenantConfigInput } from '@pytake/notify-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNotificationQueue, type NotificationQueue } from '../src/index.js';
import { alertEvent, ceiling, until, webhookPath } from '../src/testing/fixtures.js';
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

// Storm control across worker processes, one of them killed with SIGKILL while events are held:
// every event reaches the channel once, alone or in exactly one digest, whichever worker folded it
// and whichever sent the digest. Scaled time: intervals of 2 s instead of a minute.

let redis: TestRedis;
let receiver: Receiver;
let queue: NotificationQueue;
const children: ChildProcess[] = [];

const STORM_EVENTS = 500;
const CRITICAL_EVERY = 50; // 10 criticals, spread evenly
const QUIET_EVENTS = 8; // under the quiet organization's threshold (10 in 60 s)
const quietPath = '/services/TQUIET/BQUIET/qu13tW3bh00kT0k3n';

beforeAll(async () => {
  redis = await startRedis();
  receiver = await startReceiver({ latencyMs: 2 });
  queue = createNotificationQueue({ connection: redis.connection });
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

const tenants = (base: string): TenantConfigInput[] => [
  stormTenant(base),
  { organizationId: 'org-quiet', slack: { webhooks: [{ url: `${base}${quietPath}`, name: 'quiet' }] } },
];

const worker = async () => {
  const child = await startWorkerProcess({
    redisPath: redis.connection.path,
    tenants: tenants(receiver.base),
    digests: true,
    options: stormWorkerOptions(8),
  });
  children.push(child);
  return child;
};

const told = (path: string) => toldByKey(receiver, path);

describe('storm control across worker processes', () => {
  it(
    `a storm of ${STORM_EVENTS} events with a kill -9: each event once, alone or in one digest; criticals and a quiet organization alone`,
    async () => {
      const [victim] = [await worker(), await worker(), await worker()];
      // The storm arrives over about 5 s at an even pace, the quiet organization's events among it.
      const started = Date.now();
      for (let n = 1; n <= STORM_EVENTS; n++) {
        await queue.enqueue(stormEvent(n, CRITICAL_EVERY));
        if (n % 60 === 0 && n / 60 <= QUIET_EVENTS)
          await queue.enqueue(alertEvent(1000 + n / 60, 'org-quiet'));
        if (n === STORM_EVENTS / 2) {
          // Mid-storm, with events held for digests: one worker dies at once.
          victim!.kill('SIGKILL');
          await exitOf(victim!);
          await worker();
        }
        const due = started + (n * 5000) / STORM_EVENTS;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
      }

      const stormAlerts = () => new Set([...told(webhookPath(0)).values()].flat());
      expect(await until(() => stormAlerts().size === STORM_EVENTS, 60_000)).toBe(true);
      expect(await until(() => told(quietPath).size === QUIET_EVENTS, 30_000)).toBe(true);
      // Past the claim TTL: a resend of a send the killed worker had in flight would be in by now.
      await new Promise((r) => setTimeout(r, ceiling(2000)));

      const storm = told(webhookPath(0));
      const { twice, digests, alone, aloneAlerts } = tallyStorm(storm);
      const resends = receiver.accepted().filter((r) => r.path === webhookPath(0)).length - storm.size;
      const criticalsAlone = aloneAlerts.filter((alert) => isCritical(alert, CRITICAL_EVERY));
      console.log(
        `storm: ${STORM_EVENTS} events, ${storm.size} messages (${alone.length} alone, ${digests.length} digests), ${resends} resends after the kill, ${twice.length} events told other than once`,
      );
      expect(twice).toEqual([]);
      expect(criticalsAlone).toHaveLength(STORM_EVENTS / CRITICAL_EVERY);
      // Ten before the storm began, the criticals, and a digest per interval: far fewer than one per event.
      expect(storm.size).toBeLessThan(60);
      // A resend only of what the killed worker had in flight.
      expect(resends).toBeLessThanOrEqual(8);
      const quiet = told(quietPath);
      expect([...quiet.keys()].every((key) => !key.includes(':digest:'))).toBe(true);
      expect(await queue.deadLetters.list()).toEqual([]);

      // Every folded event's records: `digested`, then the digest's outcome, both with its digest.
      const records = await readStreamRecords(redis.client());
      const folded = records.filter((r) => r.status === 'digested');
      expect(foldedSettled(records)).toBe(true);
      expect(new Set(folded.map((r) => r.alertId)).size + alone.length).toBe(STORM_EVENTS);
    },
    ceiling(180_000),
  );
});
