import type { DeliveryReceipt, SendOptions } from '@pytake/notify-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlackApiChannel } from './api-channel.js';
import { header } from './blocks/header.js';
import { slackMessage } from './slack-message.js';
import { failure } from './testing/failure.js';
import { type FakeAnswer, fakeClock, startFakeSlack } from './testing/fake-slack.js';
import { createSlackWebhookChannel } from './webhook-channel.js';

// A queue worker sends with `retry: false` and `rateLimit: false`: the queue retries the job and
// every worker shares one limit in Redis. Both channels must then make one attempt and leave their
// own limiter alone.

const message = slackMessage({ text: 'CPU high', blocks: [header('CPU high')] });
const json = (body: unknown, status = 200, headers: Record<string, string> = {}): FakeAnswer => ({
  status,
  body: JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});

interface ChannelCase {
  name: string;
  /** Slack's answers, as this API documents them. */
  ok: FakeAnswer;
  tooMany: (retryAfterSeconds: number) => FakeAnswer;
  serverError: FakeAnswer;
  /** A channel limited to one message a second, with no burst, sending `message` to one place. */
  create(origin: string, clock: ReturnType<typeof fakeClock>): (o?: SendOptions) => Promise<DeliveryReceipt>;
}

const cases: ChannelCase[] = [
  {
    name: 'webhook channel',
    ok: { status: 200, body: 'ok' },
    tooMany: (s) => ({ status: 429, body: 'rate_limited', headers: { 'retry-after': String(s) } }),
    serverError: { status: 500, body: 'internal_error' },
    create(origin, clock) {
      const channel = createSlackWebhookChannel({
        allowedHosts: ['127.0.0.1'],
        now: clock.now,
        rateLimit: { perSecond: 1, burst: 1 },
        retry: { sleep: clock.sleep, random: () => 0.5 },
      });
      return (o) => channel.send({ webhookUrl: `${origin}/services/T000/B000/w0rkerS3cret`, message }, o);
    },
  },
  {
    name: 'Web API channel',
    ok: json({ ok: true, channel: 'C024BE91L', ts: '1700000000.000100' }),
    tooMany: (s) => json({ ok: false, error: 'ratelimited' }, 429, { 'retry-after': String(s) }),
    serverError: json({ ok: false, error: 'internal_error' }, 500),
    create(origin, clock) {
      const channel = createSlackApiChannel({
        token: 'xoxb-111-222-w0rkerT0k3n',
        baseUrl: `${origin}/api/`,
        allowedHosts: ['127.0.0.1'],
        now: clock.now,
        rateLimit: { perSecond: 1, burst: 1 },
        retry: { sleep: clock.sleep, random: () => 0.5 },
      });
      return (o) => channel.send({ channel: 'C024BE91L', message }, o);
    },
  },
];

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

describe.each(cases)('$name', (c) => {
  async function setup(answer: (index: number) => FakeAnswer) {
    const slack = await startFakeSlack((_, i) => answer(i));
    servers.push(slack);
    const clock = fakeClock();
    return { slack, clock, send: c.create(slack.origin, clock) };
  }

  describe('send() with retry: false', () => {
    it('makes one attempt and throws a 429 as it is: rate_limited with its Retry-After', async () => {
      const { slack, clock, send } = await setup((i) => (i === 0 ? c.tooMany(2) : c.ok));
      const error = await failure(send({ retry: false }));
      expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 2000, attempts: 1 });
      expect(slack.requests).toHaveLength(1);
      expect(clock.state.sleeps).toEqual([]);
    });

    it('makes one attempt and throws a 500 as a retryable transient error', async () => {
      const { slack, clock, send } = await setup((i) => (i === 0 ? c.serverError : c.ok));
      const error = await failure(send({ retry: false }));
      expect(error).toMatchObject({ code: 'transient', retryable: true, attempts: 1 });
      expect(slack.requests).toHaveLength(1);
      expect(clock.state.sleeps).toEqual([]);
    });

    it('delivers in one attempt when Slack takes it', async () => {
      const { slack, send } = await setup(() => c.ok);
      expect((await send({ retry: false })).attempts).toBe(1);
      expect(slack.requests).toHaveLength(1);
    });
  });

  describe('send() with rateLimit: false', () => {
    it("takes no slot of the channel's limiter: such sends go at once, and so does the next limited one", async () => {
      const { slack, clock, send } = await setup(() => c.ok);
      for (let i = 0; i < 3; i++) await send({ rateLimit: false });
      await send();
      expect(slack.requests).toHaveLength(4);
      expect(clock.state.sleeps).toEqual([]);
    });

    it('puts no hold on the limiter after a 429: a later limited send still goes to Slack', async () => {
      const { slack, send } = await setup((i) => (i === 0 ? c.tooMany(3600) : c.ok));
      const error = await failure(send({ retry: false, rateLimit: false }));
      expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 3_600_000, attempts: 1 });
      // Held, the channel would refuse this at once with attempts: 0 and send nothing.
      expect((await send()).attempts).toBe(1);
      expect(slack.requests).toHaveLength(2);
    });
  });
});
