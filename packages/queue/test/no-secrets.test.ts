import { createStaticDirectory, NotifyError } from '@pytake/notify-core';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker, createNotificationQueue } from '../src/index.js';
import { alertEvent, render, tenant, until, webhookPath } from '../src/testing/fixtures.js';
import { createHttpChannel } from '../src/testing/http-channel.js';
import { startRedis, type TestRedis } from '../src/testing/redis-server.js';
import { type Receiver, startReceiver } from '../src/testing/webhook-receiver.js';

let redis: TestRedis;
let receiver: Receiver;
beforeAll(async () => {
  redis = await startRedis();
  // Webhook 1 refuses for good, and the test channel's error for it quotes the whole URL.
  receiver = await startReceiver({ failWith: new Map([[webhookPath(1), 400]]) });
});
afterAll(async () => {
  await receiver?.close();
  await redis?.stop();
});

/** Every key and every value in Redis, as text. */
async function dump(client: Redis): Promise<{ keys: string[]; text: string }> {
  const keys = await client.keys('*');
  const parts: string[] = [];
  for (const key of keys) {
    const type = await client.type(key);
    const value =
      type === 'string'
        ? await client.get(key)
        : type === 'hash'
          ? await client.hgetall(key)
          : type === 'list'
            ? await client.lrange(key, 0, -1)
            : type === 'set'
              ? await client.smembers(key)
              : type === 'zset'
                ? await client.zrange(key, 0, -1, 'WITHSCORES')
                : type === 'stream'
                  ? await client.xrange(key, '-', '+')
                  : `?${type}`;
    parts.push(key, JSON.stringify(value));
  }
  return { keys, text: parts.join('\n') };
}

describe('what a run leaves in Redis', () => {
  it('holds no webhook URL or path, no token, no recipient address', async () => {
    const address = 'oncall.person@acme-secret.example';
    const config = {
      ...tenant(receiver.base, 3),
      email: { to: [address, 'second.person@acme-secret.example'] },
    };
    const worker = createDeliveryWorker({
      connection: redis.connection,
      directory: createStaticDirectory([config]),
      routes: {
        slack: { channel: createHttpChannel(), render },
        email: {
          render: () => ({ subject: 's', html: '<p>h</p>' }),
          // The test's own email channel: it refuses, quoting the address as SMTP servers do.
          channel: {
            kind: 'email',
            send: async (m) => {
              throw new NotifyError(`550 <${String(m.to[0])}> mailbox unavailable`, { code: 'permanent' });
            },
          },
        },
      },
      backoff: { baseDelayMs: 10, maxDelayMs: 20 },
    });
    const queue = createNotificationQueue({ connection: redis.connection });
    for (let n = 1; n <= 5; n++) await queue.enqueue(alertEvent(n));
    expect(await until(async () => (await queue.deadLetters.list()).length === 10, 30_000)).toBe(true);
    expect(await until(() => receiver.accepted().length === 10, 30_000)).toBe(true);
    const letters = await queue.deadLetters.list();
    expect(letters.find((l) => l.queue === 'email')?.error.message).toBe(
      '550 <[redacted]> mailbox unavailable',
    );
    expect(letters.find((l) => l.queue === 'email')?.target).toBe('o…@acme-secret.example +1');
    await worker.close();
    await queue.close();

    const { keys, text } = await dump(redis.client());
    expect(keys.length).toBeGreaterThan(20);
    for (const key of keys) expect(key.startsWith('{pytake-notify}:')).toBe(true);
    // The webhook's host stays, as core's redactUrl shows it (`hooks.slack.com/…a1b2`); its path is the secret.
    for (const secret of [
      's3cr3t',
      'B0001',
      '/services/',
      'T0000',
      address,
      'oncall.person',
      'second.person@',
    ]) {
      expect(text, secret).not.toContain(secret);
    }
  });
});

describe('an error text from the directory', () => {
  it('is stored redacted everywhere: records, status, dead letters, BullMQ failure reasons and events', async () => {
    await redis.client().flushall();
    const quoted =
      'pool error on postgres://tenants:Hunt3rHunt3r@db.internal:5432/app; last row https://hooks.slack.com/services/T0DIR/B0DIR/d1rS3cretPath owner maria.souza@tenant-secret.example';
    const records: { error?: { message: string } }[] = [];
    const worker = createDeliveryWorker({
      connection: redis.connection,
      directory: {
        get: async () => {
          throw new Error(quoted);
        },
      },
      routes: { slack: { channel: createHttpChannel(), render } },
      backoff: { baseDelayMs: 10, maxDelayMs: 20 },
      onDelivery: (r) => records.push(r),
    });
    const queue = createNotificationQueue({ connection: redis.connection, eventAttempts: 2 });
    await queue.enqueue(alertEvent(1));
    expect(await until(async () => (await queue.deadLetters.list()).length === 1, 30_000)).toBe(true);
    const [letter] = await queue.deadLetters.list();
    expect(letter!.error.message).toBe(
      'directory.get failed: pool error on postgres://…@db.internal:5432/app; last row hooks.slack.com/…Path owner m…@tenant-secret.example',
    );
    expect(records.at(-1)?.error?.message).toBe(letter!.error.message);
    await worker.close();
    await queue.close();
    const { text } = await dump(redis.client());
    for (const secret of ['Hunt3rHunt3r', 'tenants:', 'd1rS3cret', 'B0DIR', 'maria.souza']) {
      expect(text, secret).not.toContain(secret);
    }
  });
});
