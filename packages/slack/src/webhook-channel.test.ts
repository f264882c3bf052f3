import {
  ConfigError,
  isNotifyError,
  type NotifyError,
  type Route,
  type SlackDelivery,
  sleep,
} from '@pytake/notify-core';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { divider } from './blocks/divider.js';
import { header } from './blocks/header.js';
import { type SlackMessage, slackMessage } from './slack-message.js';
import { SlackValidationError } from './slack-validation-error.js';
import { type FakeAnswer, fakeClock, startFakeSlack } from './testing/fake-slack.js';
import { createSlackWebhookChannel } from './webhook-channel.js';

const SECRET_PATH = '/services/T000TEST/B000TEST/s3cr3tW3bh00kT0k3n';
const message = slackMessage({ text: 'CPU high', blocks: [header('CPU high')] });

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fakeSlack(handler: (index: number) => FakeAnswer) {
  const server = await startFakeSlack((_, i) => handler(i));
  servers.push(server);
  return { ...server, url: `${server.origin}${SECRET_PATH}` };
}

async function failure(promise: Promise<unknown>): Promise<NotifyError> {
  try {
    await promise;
  } catch (error) {
    expect(isNotifyError(error)).toBe(true);
    return error as NotifyError;
  }
  throw new Error('expected a rejection');
}

function expectNoSecret(error: unknown) {
  const text = `${String(error)} ${JSON.stringify(error)} ${String((error as Error).stack)} ${String((error as Error).cause)}`;
  expect(text).not.toContain('s3cr3tW3bh00kT0k3n');
  expect(text).not.toContain('B000TEST');
}

function channel(clock = fakeClock(), extra: Parameters<typeof createSlackWebhookChannel>[0] = {}) {
  return createSlackWebhookChannel({
    allowedHosts: ['127.0.0.1'],
    now: clock.now,
    retry: { sleep: clock.sleep, random: () => 0.5, maxAttempts: 3 },
    ...extra,
  });
}

describe('createSlackWebhookChannel', () => {
  it('fits core routes: its message is what the notifier hands over', () => {
    const c = createSlackWebhookChannel();
    expectTypeOf(c).toExtend<Route<SlackMessage, SlackDelivery<SlackMessage>>['channel']>();
    expect(c.kind).toBe('slack');
    expect(c.isConfigured?.()).toBe(true);
    expect(createSlackWebhookChannel({ enabled: false }).isConfigured?.()).toBe(false);
  });

  describe('send()', () => {
    it('POSTs the message as JSON and reports one attempt', async () => {
      const slack = await fakeSlack(() => ({ status: 200, body: 'ok' }));
      const receipt = await channel().send({ webhookUrl: slack.url, message, threadKey: 'a1' });
      expect(receipt.attempts).toBe(1);
      // Whole milliseconds, like the email channel: records and metrics show them as they are.
      expect(Number.isInteger(receipt.durationMs)).toBe(true);
      expect(slack.requests).toHaveLength(1);
      expect(slack.requests[0]?.method).toBe('POST');
      expect(slack.requests[0]?.path).toBe(SECRET_PATH);
      expect(slack.requests[0]?.headers['content-type']).toContain('application/json');
      expect(JSON.parse(slack.requests[0]?.body ?? '')).toEqual(message);
    });

    it('waits for Retry-After on 429 and then delivers', async () => {
      const clock = fakeClock();
      const slack = await fakeSlack((i) =>
        i === 0
          ? { status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } }
          : { status: 200, body: 'ok' },
      );
      const receipt = await channel(clock).send({ webhookUrl: slack.url, message, threadKey: 'a1' });
      expect(receipt.attempts).toBe(2);
      expect(slack.requests).toHaveLength(2);
      expect(clock.state.now).toBeGreaterThanOrEqual(1000);
      expect(Math.max(...clock.state.sleeps)).toBeGreaterThanOrEqual(1000);
    });

    it('retries a 500 and then delivers in 2 attempts', async () => {
      const slack = await fakeSlack((i) =>
        i === 0 ? { status: 500, body: 'internal_error' } : { status: 200, body: 'ok' },
      );
      const receipt = await channel().send({ webhookUrl: slack.url, message, threadKey: 'a1' });
      expect(receipt.attempts).toBe(2);
    });

    it.each([
      [400, 'invalid_payload'],
      [403, 'action_prohibited'],
      [404, 'no_service'],
      [410, 'channel_is_archived'],
    ])('fails at once on %i %s with Slack error string, without the secret path', async (status, body) => {
      const slack = await fakeSlack(() => ({ status, body }));
      const error = await failure(channel().send({ webhookUrl: slack.url, message, threadKey: 'a1' }));
      expect(slack.requests).toHaveLength(1);
      expect(error.retryable).toBe(false);
      expect(error.code).toBe('permanent');
      expect(error.attempts).toBe(1);
      expect(error.message).toContain(`${status} ${body}`);
      expect(error.message).toContain('127.0.0.1');
      expectNoSecret(error);
    });

    it('times out a hanging server, retries, and gives up with a timeout error', async () => {
      const slack = await fakeSlack(() => ({ status: 200, hang: true }));
      const c = channel(fakeClock(), { timeoutMs: 100, retry: { maxAttempts: 2, sleep: async () => {} } });
      const error = await failure(c.send({ webhookUrl: slack.url, message, threadKey: 'a1' }));
      expect(error.code).toBe('timeout');
      expect(error.attempts).toBe(2);
      expect(slack.requests).toHaveLength(2);
      expectNoSecret(error);
    });

    it('retries a refused connection as transient', async () => {
      const slack = await fakeSlack(() => ({ status: 200 }));
      await slack.close();
      servers = [];
      const error = await failure(channel().send({ webhookUrl: slack.url, message, threadKey: 'a1' }));
      expect(error.code).toBe('transient');
      expect(error.attempts).toBe(3);
      expectNoSecret(error);
    });

    it('keeps the webhook path out of errors when Slack echoes it in a body', async () => {
      const slack = await fakeSlack(() => ({
        status: 500,
        body: `boom https://hooks.slack.com${SECRET_PATH} ${SECRET_PATH}`,
      }));
      const error = await failure(channel().send({ webhookUrl: slack.url, message, threadKey: 'a1' }));
      expect(error.code).toBe('transient');
      expectNoSecret(error);
    });

    it.each([
      ['http to a host that is not loopback', `http://example.com${SECRET_PATH}`],
      ['https to a host that is not Slack', `https://evil.example${SECRET_PATH}`],
      ['https to an internal address', `https://169.254.169.254${SECRET_PATH}`],
      ['a non-http scheme', `file:///etc/passwd`],
      ['credentials in the URL', `https://user:pw@hooks.slack.com${SECRET_PATH}`],
      ['no URL at all', 'not a url s3cr3tW3bh00kT0k3n'],
    ])('refuses %s with a ConfigError before any request', async (_, webhookUrl) => {
      const c = createSlackWebhookChannel({ retry: { sleep: async () => {} } });
      const error = await failure(c.send({ webhookUrl, message, threadKey: 'a1' }));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain('webhookUrl');
      expectNoSecret(error);
    });

    it('refuses a message over Slack limits without sending it', async () => {
      const slack = await fakeSlack(() => ({ status: 200, body: 'ok' }));
      const bad = { text: 't', blocks: Array.from({ length: 51 }, () => divider()) };
      await expect(channel().send({ webhookUrl: slack.url, message: bad, threadKey: 'a1' })).rejects.toThrow(
        SlackValidationError,
      );
      expect(slack.requests).toHaveLength(0);
    });
  });

  describe('rate limiting', () => {
    it('sends without waiting when the limiter is off', async () => {
      const clock = fakeClock();
      const slack = await fakeSlack(() => ({ status: 200, body: 'ok' }));
      const c = channel(clock, { rateLimit: false });
      const results = await c.sendBatch(
        Array.from({ length: 20 }, () => ({ webhookUrl: slack.url, message, threadKey: 'a' })),
        { concurrency: 5 },
      );
      expect(results.every((r) => r.ok)).toBe(true);
      expect(clock.state.sleeps).toEqual([]);
    });

    it('delivers 100 messages to a webhook that allows 1/s with a burst of 5, with no second 429', async () => {
      // A virtual clock that moves only when a sleep ends and no request is in flight, so that
      // HTTP latency on a loaded machine cannot change what the server sees. Sleeps still take real
      // time (1 real ms per 10 virtual ms) so that sleepers wake in order.
      const scale = 10;
      let virtual = 0;
      let inflight = 0;
      const now = () => virtual;
      const countingFetch: typeof fetch = async (input, init) => {
        inflight++;
        try {
          return await fetch(input, init);
        } finally {
          inflight--;
        }
      };
      const scaledSleep = async (ms: number, signal?: AbortSignal) => {
        const wake = virtual + ms;
        await sleep(Math.ceil(ms / scale), signal);
        while (inflight > 0) await sleep(1, signal);
        virtual = Math.max(virtual, wake);
      };
      // Another sender already used one of the 5 burst slots, so our fifth message meets a 429.
      let tokens = 4;
      let last = 0;
      const statuses: number[] = [];
      const slack = await fakeSlack(() => {
        const t = now();
        tokens = Math.min(5, tokens + (t - last) / 1000);
        last = t;
        if (tokens >= 0.999) {
          tokens -= 1;
          statuses.push(200);
          return { status: 200, body: 'ok' };
        }
        statuses.push(429);
        return { status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } };
      });
      const c = createSlackWebhookChannel({
        allowedHosts: ['127.0.0.1'],
        now,
        fetch: countingFetch,
        retry: { sleep: scaledSleep, maxAttempts: 5, random: () => 0 },
      });
      const results = await c.sendBatch(
        Array.from({ length: 100 }, (_, i) => ({ webhookUrl: slack.url, message, threadKey: `a${i}` })),
        { concurrency: 10 },
      );
      expect(results.filter((r) => r.ok)).toHaveLength(100);
      expect(
        statuses.filter((s) => s === 429),
        `statuses: ${statuses.join(' ')}`,
      ).toHaveLength(1);
      expect(statuses.filter((s) => s === 200)).toHaveLength(100);
    });
  });

  describe('sendBatch()', () => {
    it('returns one result per item in input order, failures included', async () => {
      const slack = await fakeSlack(() => ({ status: 200, body: 'ok' }));
      const c = channel(fakeClock(), { rateLimit: false });
      const results = await c.sendBatch([
        { webhookUrl: slack.url, message, threadKey: 'a' },
        { webhookUrl: `https://evil.example${SECRET_PATH}`, message, threadKey: 'b' },
        { webhookUrl: slack.url, message, threadKey: 'c' },
      ]);
      expect(results.map((r) => r.ok)).toEqual([true, false, true]);
      const failed = results[1];
      expect(failed?.ok === false && failed.error.code).toBe('config');
    });
  });

  describe('verifyWebhook()', () => {
    it('reports a live webhook from 400 no_text, posting nothing visible', async () => {
      const slack = await fakeSlack(() => ({ status: 400, body: 'no_text' }));
      expect(await channel().verifyWebhook(slack.url)).toEqual({ live: true, status: 400, error: 'no_text' });
      expect(JSON.parse(slack.requests[0]?.body ?? '')).toEqual({});
    });

    it('reports a dead webhook from 404 no_service', async () => {
      const slack = await fakeSlack(() => ({ status: 404, body: 'no_service' }));
      expect(await channel().verifyWebhook(slack.url)).toEqual({
        live: false,
        status: 404,
        error: 'no_service',
      });
    });
  });
});
