import type { DeliveryRecord } from '@pytake/notify-core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutcomeWriter, type TargetRef } from './outcome-writer.js';
import { queueKeys } from './queue-keys.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';

// A worker's client re-sends a command whose answer a dropped connection lost (ioredis does after a
// reconnect, with `maxRetriesPerRequest: null`), and Redis may have run the first: a client that
// sends every script of ours twice shows that the second run writes nothing twice.

let redis: TestRedis;
let client: Redis;
beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
});
afterAll(async () => {
  await redis?.stop();
});

/** The client, but each of our scripts runs twice per call, as after a lost answer; the second answers. */
function resending(target: Redis): Redis {
  return new Proxy(target, {
    get(redisClient, property) {
      const value = Reflect.get(redisClient, property, redisClient);
      if (typeof value !== 'function') return value;
      if (typeof property === 'string' && property.startsWith('pytakeNotify_'))
        return async (...args: unknown[]) => {
          await value.apply(redisClient, args);
          return value.apply(redisClient, args);
        };
      return value.bind(redisClient);
    },
  });
}

const writerOn = (prefix: string) =>
  createOutcomeWriter({
    redis: resending(client),
    keys: queueKeys(prefix),
    statusTtlMs: 60_000,
    streamMaxLen: 1000,
    sentTtlMs: 60_000,
    threadTtlMs: 60_000,
    stop: new AbortController().signal,
  });

const recordOf = (status: DeliveryRecord['status']): DeliveryRecord => ({
  organizationId: 'org-1',
  alertId: 'alert-1',
  eventType: 'alert.created',
  channel: 'slack',
  target: 'ops (…1)',
  status,
  attempts: 1,
  durationMs: 12,
  at: new Date(),
  ...(status === 'failed' && { error: { code: 'permanent' as const, message: 'webhook answered 404' } }),
});

const ref: TargetRef = { eventId: 'evt-1', route: 'slack', targetId: 'ops' };
const recordsIn = async (prefix: string) =>
  (await client.xrange(`${prefix}:records`, '-', '+')).map(([, fields]) => JSON.parse(fields[1]!));

describe('outcome scripts sent twice for one call', () => {
  it('record a send once', async () => {
    await writerOn('{s}').sent(ref, recordOf('delivered'), 'key-1');
    expect((await recordsIn('{s}')).map((r) => r.status)).toEqual(['delivered']);
  });

  it('record an outcome without a send once', async () => {
    await writerOn('{o}').outcome(ref, recordOf('failed'));
    expect((await recordsIn('{o}')).map((r) => r.status)).toEqual(['failed']);
  });

  it('still record a later outcome of the same target (another entry)', async () => {
    const writer = writerOn('{l}');
    await writer.outcome(ref, recordOf('failed'));
    // A second failure with another error: a different entry, so a different call.
    await writer.outcome(ref, {
      ...recordOf('failed'),
      attempts: 2,
      error: { code: 'transient', message: 'webhook answered 500' },
    });
    expect((await recordsIn('{l}')).map((r) => r.attempts)).toEqual([1, 2]);
  });
});
