import {
  ConfigError,
  createNotifier,
  createStaticDirectory,
  isNotifyError,
  type NotifyError,
  type Route,
  type SlackChannelDelivery,
} from '@pytake/notify-core';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { createSlackApiChannel } from './api-channel.js';
import { divider } from './blocks/divider.js';
import { header } from './blocks/header.js';
import { type SlackMessage, slackMessage } from './slack-message.js';
import { SlackValidationError } from './slack-validation-error.js';
import { type FakeAnswer, type FakeRequest, fakeClock, startFakeSlack } from './testing/fake-slack.js';

const TOKEN = 'xoxb-111-222-s3cr3tB0tT0k3n';
const message = slackMessage({ text: 'CPU high', blocks: [header('CPU high')] });
const resolved = slackMessage({ text: 'Resolved', blocks: [header('Resolved')] });

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

// Answers like the Web API: HTTP 200 with `{ ok, ... }`.
async function fakeApi(handler?: (request: FakeRequest, index: number) => FakeAnswer | undefined) {
  let ts = 1000;
  const server = await startFakeSlack((request, index) => {
    const custom = handler?.(request, index);
    if (custom) return custom;
    if (request.headers.authorization !== `Bearer ${TOKEN}`) return json({ ok: false, error: 'not_authed' });
    const body = JSON.parse(request.body) as { channel: string; ts?: string };
    if (request.path === '/api/chat.postMessage')
      return json({ ok: true, channel: body.channel, ts: `${ts++}.000100` });
    if (request.path === '/api/chat.update') return json({ ok: true, channel: body.channel, ts: body.ts });
    return json({ ok: false, error: 'unknown_method' });
  });
  close = server.close;
  return { ...server, baseUrl: `${server.origin}/api/` };
}

const json = (body: unknown, status = 200, headers: Record<string, string> = {}): FakeAnswer => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

function channel(baseUrl: string, extra: Partial<Parameters<typeof createSlackApiChannel>[0]> = {}) {
  const clock = fakeClock();
  return createSlackApiChannel({
    token: TOKEN,
    baseUrl,
    allowedHosts: ['127.0.0.1'],
    now: clock.now,
    retry: { sleep: clock.sleep, random: () => 0 },
    ...extra,
  });
}

async function failure(promise: Promise<unknown>): Promise<NotifyError> {
  try {
    await promise;
  } catch (error) {
    expect(isNotifyError(error)).toBe(true);
    expect(`${String(error)} ${JSON.stringify(error)} ${(error as Error).stack}`).not.toContain(
      's3cr3tB0tT0k3n',
    );
    return error as NotifyError;
  }
  throw new Error('expected a rejection');
}

describe('createSlackApiChannel', () => {
  it('refuses a missing token with a ConfigError', () => {
    expect(() => createSlackApiChannel({ token: '' })).toThrow(ConfigError);
  });

  describe('send()', () => {
    it('posts with chat.postMessage and the bearer token, returning the ts', async () => {
      const api = await fakeApi();
      const receipt = await channel(api.baseUrl).send({ channel: 'C024BE91L', message });
      expect(receipt).toMatchObject({ attempts: 1, providerId: '1000.000100' });
      expect(api.requests[0]?.path).toBe('/api/chat.postMessage');
      expect(JSON.parse(api.requests[0]?.body ?? '')).toEqual({ ...message, channel: 'C024BE91L' });
    });

    it('makes the first message the parent, replies in its thread, and updates the parent on resolve', async () => {
      const api = await fakeApi();
      const c = channel(api.baseUrl, { threadReplies: true, rateLimit: false });
      await c.send({ channel: 'C024BE91L', message, threadKey: 'alert-1', event: 'alert.created' });
      await c.send({ channel: 'C024BE91L', message, threadKey: 'alert-1', event: 'alert.escalated' });
      await c.send({
        channel: 'C024BE91L',
        message: resolved,
        threadKey: 'alert-1',
        event: 'alert.resolved',
      });
      await c.send({ channel: 'C024BE91L', message, threadKey: 'alert-2', event: 'alert.created' });
      const calls = api.requests.map((r) => ({
        path: r.path,
        ...(JSON.parse(r.body) as { thread_ts?: string; ts?: string }),
      }));
      expect(calls.map((c) => [c.path, c.thread_ts, c.ts])).toEqual([
        ['/api/chat.postMessage', undefined, undefined],
        ['/api/chat.postMessage', '1000.000100', undefined],
        ['/api/chat.postMessage', '1000.000100', undefined],
        ['/api/chat.update', undefined, '1000.000100'],
        ['/api/chat.postMessage', undefined, undefined],
      ]);
      expect(JSON.parse(api.requests[3]?.body ?? '').text).toBe('Resolved');
    });

    it('refuses a parentUpdate over Slack limits before posting anything', async () => {
      const api = await fakeApi();
      const c = channel(api.baseUrl, { threadReplies: true, rateLimit: false });
      await c.send({ channel: 'C024BE91L', message, threadKey: 'alert-1', event: 'alert.created' });
      const tooMany = { text: 'Resolved', blocks: Array.from({ length: 51 }, () => divider()) };
      const error = await c
        .send({
          channel: 'C024BE91L',
          message: resolved,
          parentUpdate: tooMany,
          threadKey: 'alert-1',
          event: 'alert.resolved',
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(SlackValidationError);
      expect(api.requests).toHaveLength(1);
    });

    it('posts one parent when two events of an alert are sent at once', async () => {
      const api = await fakeApi();
      const c = channel(api.baseUrl, { threadReplies: true, rateLimit: false });
      await Promise.all([
        c.send({ channel: 'C024BE91L', message, threadKey: 'alert-1', event: 'alert.created' }),
        c.send({ channel: 'C024BE91L', message, threadKey: 'alert-1', event: 'alert.escalated' }),
      ]);
      const threadTs = api.requests.map((r) => (JSON.parse(r.body) as { thread_ts?: string }).thread_ts);
      expect(threadTs).toEqual([undefined, '1000.000100']);
    });

    it("threads per delivery when core's notifier passes the tenant's threadReplies", async () => {
      const api = await fakeApi();
      const c = channel(api.baseUrl, { rateLimit: false });
      expectTypeOf(c).toExtend<Route<SlackMessage, SlackChannelDelivery<SlackMessage>>['channel']>();
      const alert = {
        id: 'alrt_9',
        organizationId: 'org_acme',
        title: 'Disk full',
        severity: 'high',
        category: 'system',
        createdAt: '2026-01-05T10:00:00Z',
      } as const;
      const notifier = createNotifier({
        directory: createStaticDirectory([
          { organizationId: 'org_acme', slack: { channels: [{ id: 'C024BE91L' }], threadReplies: true } },
        ]),
        routes: { slackApi: { channel: c, render: (e) => slackMessage({ text: e.type, blocks: [] }) } },
      });
      await notifier.notify({ type: 'alert.created', alert, occurredAt: '2026-01-05T10:00:00Z' });
      const report = await notifier.notify({
        type: 'alert.resolved',
        alert,
        occurredAt: '2026-01-05T11:00:00Z',
      });
      expect(report.records.map((r) => [r.channel, r.status])).toEqual([['slack-api', 'delivered']]);
      expect(
        api.requests.map((r) => [r.path, (JSON.parse(r.body) as { thread_ts?: string }).thread_ts]),
      ).toEqual([
        ['/api/chat.postMessage', undefined],
        ['/api/chat.postMessage', '1000.000100'],
        ['/api/chat.update', undefined],
      ]);
    });

    it('retries ratelimited (HTTP 429 with Retry-After) and then delivers', async () => {
      const api = await fakeApi((_, i) =>
        i === 0 ? json({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': '2' }) : undefined,
      );
      const clock = fakeClock();
      const receipt = await channel(api.baseUrl, {
        now: clock.now,
        retry: { sleep: clock.sleep, random: () => 0 },
      }).send({ channel: 'C024BE91L', message });
      expect(receipt.attempts).toBe(2);
      expect(clock.state.now).toBeGreaterThanOrEqual(2000);
    });

    it.each([
      ['invalid_auth', 'auth'],
      ['missing_scope', 'auth'],
      ['channel_not_found', 'permanent'],
      ['is_archived', 'permanent'],
    ])('fails at once on ok:false %s (%s), without the token', async (error, code) => {
      const api = await fakeApi(() => json({ ok: false, error }));
      const e = await failure(channel(api.baseUrl).send({ channel: 'C024BE91L', message }));
      expect(e.code).toBe(code);
      expect(e.message).toContain(error);
      expect(api.requests).toHaveLength(1);
    });

    it('retries internal_error and 503', async () => {
      const api = await fakeApi((_, i) =>
        i === 0
          ? json({ ok: false, error: 'internal_error' })
          : i === 1
            ? { status: 503, body: 'down' }
            : undefined,
      );
      const receipt = await channel(api.baseUrl).send({ channel: 'C024BE91L', message });
      expect(receipt.attempts).toBe(3);
    });

    it('after ratelimited with Retry-After 3600, later sends to that channel fail at once, sending nothing', async () => {
      const api = await fakeApi((request) =>
        (JSON.parse(request.body) as { channel: string }).channel === 'C024BE91L'
          ? json({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': '3600' })
          : undefined,
      );
      const clock = fakeClock();
      const c = channel(api.baseUrl, { now: clock.now, retry: { sleep: clock.sleep, random: () => 0 } });
      expect((await failure(c.send({ channel: 'C024BE91L', message }))).code).toBe('rate_limited');
      const later = await failure(c.send({ channel: 'C024BE91L', message }));
      expect(later).toMatchObject({ code: 'rate_limited', retryable: true, attempts: 0 });
      expect(later.retryAfterMs).toBeGreaterThan(60_000);
      expect(later.message).toContain('chat.postMessage to C024BE91L');
      expect(api.requests).toHaveLength(1);
      expect(Math.max(0, ...clock.state.sleeps)).toBeLessThanOrEqual(60_000);
      // Another channel is not held.
      expect((await c.send({ channel: 'C0OTHER01', message })).attempts).toBe(1);
    });

    it('takes one limiter slot per call: a retry after internal_error does not queue for a new slot', async () => {
      const api = await fakeApi((_, i) =>
        i === 0 ? json({ ok: false, error: 'internal_error' }) : undefined,
      );
      const clock = fakeClock();
      const c = channel(api.baseUrl, {
        now: clock.now,
        rateLimit: { perSecond: 1, burst: 1 },
        retry: { sleep: clock.sleep, random: () => 0.5 },
      });
      expect((await c.send({ channel: 'C024BE91L', message })).attempts).toBe(2);
      expect(clock.state.sleeps).toEqual([500]); // the backoff only
    });

    it('never quotes an error that is not a Slack error code (it could carry the token)', async () => {
      const api = await fakeApi(() => json({ ok: false, error: `bad token ${TOKEN.toUpperCase()}` }));
      const e = await failure(channel(api.baseUrl).send({ channel: 'C024BE91L', message }));
      expect(e.message).toContain('HTTP 200');
      expect(e.message.toLowerCase()).not.toContain('s3cr3tb0tt0k3n');
    });

    it('answers a redirect with a permanent config error naming baseUrl', async () => {
      const api = await fakeApi(() => ({ status: 301, headers: { location: 'https://evil.example/api/' } }));
      const e = await failure(channel(api.baseUrl).send({ channel: 'C024BE91L', message }));
      expect(e).toMatchObject({ code: 'config', retryable: false });
      expect(e.message).toContain('baseUrl: the URL redirects (HTTP 301)');
      expect(api.requests).toHaveLength(1);
    });

    it.each([
      [{ timeoutMs: 0 }, 'timeoutMs', '0'],
      [{ rateLimit: { perSecond: -1 } }, 'rateLimit.perSecond', '-1'],
      [{ retry: { maxRetryAfterMs: Number.NaN } }, 'retry.maxRetryAfterMs', 'NaN'],
    ])('refuses %o when the channel is created', (extra, path, shown) => {
      const create = () => createSlackApiChannel({ token: TOKEN, ...extra });
      expect(create).toThrow(ConfigError);
      expect(create).toThrow(`${path}: expected`);
      expect(create).toThrow(`got ${shown}`);
    });

    it('refuses slack.com on a port other than 443', () => {
      expect(() => createSlackApiChannel({ token: TOKEN, baseUrl: 'https://slack.com:444/api/' })).toThrow(
        'baseUrl: slack.com is only reached over https on port 443',
      );
    });

    it('refuses a bad channel id and a non-Slack base URL', async () => {
      const api = await fakeApi();
      await expect(channel(api.baseUrl).send({ channel: '#general', message })).rejects.toThrow(
        'channel: expected a channel id',
      );
      expect(() => createSlackApiChannel({ token: TOKEN, baseUrl: 'https://evil.example/api/' })).toThrow(
        ConfigError,
      );
    });
  });
});
