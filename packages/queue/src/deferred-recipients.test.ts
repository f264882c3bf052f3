import {
  type Channel,
  createStaticDirectory,
  type DeliveryRecord,
  type EmailDelivery,
  NotifyError,
  type Recipient,
  recipientDigest,
  redactAddress,
  type SendOptions,
} from '@pytake/notify-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker } from './delivery-worker.js';
import { createNotificationQueue, type NotificationQueue } from './notification-queue.js';
import { alertEvent, until } from './testing/fixtures.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';

let redis: TestRedis;
let queue: NotificationQueue;
const open: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  redis = await startRedis();
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  for (const o of open.splice(0)) await o.close();
  await redis.client().flushall();
});
afterAll(async () => {
  await queue?.close();
  await redis?.stop();
});

const address = (r: Recipient) => (typeof r === 'string' ? r : r.email);

/**
 * An SMTP server's answers, as the email channel reports them with `retry: false`: an address in
 * `greylist` is deferred (451) that many times, then accepted; one in `refuse` is refused for good.
 * It keeps who got the message, in order, and honours `onlyRecipients` as the channel does.
 */
function smtpLike(greylist: Map<string, number>, refuse = new Set<string>()) {
  const received: string[] = [];
  const options: SendOptions[] = [];
  const channel: Channel<EmailDelivery> = {
    kind: 'email',
    async send(delivery, sendOptions = {}) {
      options.push(sendOptions);
      const only = sendOptions.onlyRecipients;
      const to = delivery.to.map(address).filter((a) => !only || only.includes(recipientDigest(a)));
      const deferred = to.filter((a) => (greylist.get(a) ?? 0) > 0);
      for (const a of deferred) greylist.set(a, greylist.get(a)! - 1);
      const refused = to.filter((a) => refuse.has(a));
      const accepted = to.filter((a) => !deferred.includes(a) && !refused.includes(a));
      if (accepted.length === 0 && refused.length === 0)
        throw new NotifyError('451 try again later', { code: 'transient', retryable: true });
      received.push(...accepted);
      return {
        attempts: 1,
        durationMs: 1,
        ...(refused.length ? { refused: refused.map(redactAddress) } : {}),
        ...(deferred.length
          ? {
              deferred: deferred.map((a) => ({
                digest: recipientDigest(a),
                display: redactAddress(a),
                responseCode: 451,
              })),
            }
          : {}),
      };
    },
  };
  return { channel, received, options };
}

const start = (channel: Channel<EmailDelivery>, records: DeliveryRecord[], deliveryAttempts = 5) => {
  const worker = createDeliveryWorker({
    connection: redis.connection,
    directory: createStaticDirectory([
      {
        organizationId: 'org-1',
        email: { to: ['ana@acme.example', 'bob@acme.example', 'cid@acme.example'] },
      },
    ]),
    routes: { email: { channel, render: () => ({ subject: 's', html: 'h' }) } },
    backoff: { baseDelayMs: 10, maxDelayMs: 20 },
    deliveryAttempts,
    onDelivery: (r) => records.push(r),
  });
  open.push(worker);
};

describe('a recipient deferred by the SMTP server, through the queue', () => {
  it('is retried alone until it accepts, and nobody gets the alert twice', async () => {
    const smtp = smtpLike(new Map([['bob@acme.example', 2]]));
    const records: DeliveryRecord[] = [];
    start(smtp.channel, records);
    const { id } = await queue.enqueue(alertEvent(1));
    expect(await until(() => records.length > 0, 20_000)).toBe(true);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ status: 'delivered', attempts: 3, target: 'a…@acme.example +2' });
    expect(smtp.received).toEqual(['ana@acme.example', 'cid@acme.example', 'bob@acme.example']);
    // The worker owns retries and limits; the retries name the deferred recipient by digest only.
    expect(smtp.options.map((o) => [o.retry, o.rateLimit, o.onlyRecipients])).toEqual([
      [false, false, undefined],
      [false, false, [recipientDigest('bob@acme.example')]],
      [false, false, [recipientDigest('bob@acme.example')]],
    ]);
    expect((await queue.status(id))?.targets.map((t) => t.state)).toEqual(['delivered']);
    const jobs = await redis.client().keys('*');
    for (const key of jobs) {
      const type = await redis.client().type(key);
      if (type === 'hash') expect(JSON.stringify(await redis.client().hgetall(key))).not.toContain('bob@');
    }
  });

  it('keeps a recipient refused for good in the record, and ends in the dead letters if one never accepts', async () => {
    const smtp = smtpLike(new Map([['bob@acme.example', 99]]), new Set(['cid@acme.example']));
    const records: DeliveryRecord[] = [];
    start(smtp.channel, records, 3);
    const { id } = await queue.enqueue(alertEvent(1));
    expect(await until(async () => (await queue.deadLetters.list()).length === 1, 20_000)).toBe(true);
    const [letter] = await queue.deadLetters.list();
    // The last run sent to the deferred recipient alone, and the server deferred it again.
    expect(letter!.error).toEqual({ code: 'transient', message: '451 try again later' });
    expect(smtp.received).toEqual(['ana@acme.example']);
    expect(records.at(-1)).toMatchObject({ status: 'failed', attempts: 3, refused: ['c…@acme.example'] });
    expect((await queue.status(id))?.targets.map((t) => t.state)).toEqual(['dead']);
  });

  it('ends in the dead letters naming the deferred recipients when the last run was deferred in part', async () => {
    const smtp = smtpLike(new Map([['bob@acme.example', 99]]));
    const records: DeliveryRecord[] = [];
    start(smtp.channel, records, 1);
    await queue.enqueue(alertEvent(1));
    expect(await until(async () => (await queue.deadLetters.list()).length === 1, 20_000)).toBe(true);
    const [letter] = await queue.deadLetters.list();
    expect(letter!.error).toEqual({
      code: 'transient',
      message: '1 recipient deferred (b…@acme.example 451)',
    });
    expect(smtp.received).toEqual(['ana@acme.example', 'cid@acme.example']);
  });
});
