import { type DeliveryRecord, parseAlertEvent, type StormSettings } from '@pytake/notify-core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOutcomeWriter, type TargetRef } from './outcome-writer.js';
import { queueKeys } from './queue-keys.js';
import { alertEvent, ceiling, until } from './testing/fixtures.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';

// The storm fold script run twice for one delivery, as ioredis does when a connection drops before
// the answer came back (it sends the command again after reconnecting, and a Redis restarted on its
// AOF already has the first run): the second run answers like the first, never a second digest.

let redis: TestRedis;
let client: Redis;
beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
});
afterAll(async () => {
  await redis?.stop();
});

const settings: StormSettings = {
  threshold: 1,
  windowMs: 60_000,
  intervalMs: 100,
  bypassSeverity: 'critical',
};

function foldInput(n: number, inConversation: boolean, prefix: string) {
  const event = parseAlertEvent(alertEvent(n));
  const record: DeliveryRecord = {
    organizationId: event.alert.organizationId,
    alertId: event.alert.id,
    eventType: event.type,
    channel: 'slack',
    target: 'ops (…1)',
    status: 'digested',
    attempts: 0,
    durationMs: 0,
    at: new Date(),
  };
  const jobId = `dlv-${n}`;
  const { organizationId, id: alertId } = event.alert;
  const ref: TargetRef = {
    eventId: `evt-${n}`,
    route: 'slack',
    targetId: 'ops',
    ...(inConversation && {
      conversation: { organizationId, alertId, route: 'slack' as const, targetId: 'ops', jobId, score: n },
    }),
  };
  return {
    ref,
    input: { jobId, settings, bypass: false, event, record, idempotencyKey: `${prefix}key-${n}` },
  };
}

// With conversations (the worker's default) the delivery leaves its alert's order as it folds;
// without (`conversation: false`) there is no order to leave.
describe.each([
  ['in a conversation', true],
  ['in no conversation', false],
])('storm-fold.lua, a delivery %s', (_, inConversation) => {
  const prefix = inConversation ? '{c}' : '{n}';
  it('folds, and answers a second run of the same fold with its first digest, even once the interval is over', async () => {
    const writer = createOutcomeWriter({
      redis: client,
      keys: queueKeys(prefix),
      statusTtlMs: 60_000,
      streamMaxLen: 1000,
      sentTtlMs: 60_000,
      threadTtlMs: 60_000,
      stop: new AbortController().signal,
    });
    // The first event to the target goes alone; the second, past the threshold, is folded.
    const first = foldInput(1, inConversation, prefix);
    expect((await writer.fold(first.ref, first.input)).kind).toBe('alone');
    const second = foldInput(2, inConversation, prefix);
    const folded = await writer.fold(second.ref, second.input);
    if (folded.kind !== 'fold') throw new Error(`expected a fold, got ${folded.kind}`);

    // Past the digest's due time on Redis's clock: a new fold would start the next digest.
    const redisNow = async () => {
      const [seconds, micros] = await client.time();
      return Number(seconds) * 1000 + Number(micros) / 1000;
    };
    expect(await until(async () => (await redisNow()) > folded.digest.dueAt, ceiling(10_000))).toBe(true);

    const again = await writer.fold(second.ref, second.input);
    expect(again.kind).toBe('fold');
    expect(again.kind === 'fold' && again.digest.digestId).toBe(folded.digest.digestId);
    // One `digested` record for the event in the stream, not two.
    const records = (await client.xrange(`${prefix}:records`, '-', '+')).map(([, fields]) =>
      JSON.parse(fields[1]!),
    );
    expect(records.filter((r) => r.alertId === 'alert-2' && r.status === 'digested')).toHaveLength(1);
  });
});
