import { Agent, type AgentOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import { ConfigError, type Route, type SlackDelivery } from '@pytake/notify-core';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { divider } from './blocks/divider.js';
import { header } from './blocks/header.js';
import { type SlackMessage, slackMessage } from './slack-message.js';
import { SlackValidationError } from './slack-validation-error.js';
import { failure } from './testing/failure.js';
import { type FakeAnswer, type FakeRequest, fakeClock, startFakeSlack } from './testing/fake-slack.js';
import { virtualClock } from './testing/virtual-clock.js';
import { createSlackWebhookChannel } from './webhook-channel.js';

const SECRET_PATH = '/services/T000TEST/B000TEST/s3cr3tW3bh00kT0k3n';
const message = slackMessage({ text: 'CPU high', blocks: [header('CPU high')] });

let servers: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function fakeSlack(handler: (index: number, request: FakeRequest) => FakeAnswer) {
  const server = await startFakeSlack((request, i) => handler(i, request));
  servers.push(server);
  return { ...server, url: `${server.origin}${SECRET_PATH}` };
}

function expectNoSecret(error: unknown) {
  const text = `${String(error)} ${JSON.stringify(error)} ${String((error as Error).stack)} ${String((error as Error).cause)}`;
  // In any case and any encoding: a server may echo the path upper-cased or URL-encoded.
  for (const form of [text, decodeURIComponent(text.replace(/%(?![0-9a-f]{2})/gi, '%25'))]) {
    expect(form.toLowerCase()).not.toContain('s3cr3tw3bh00kt0k3n');
    expect(form.toLowerCase()).not.toContain('b000test');
  }
}

/** An http.Agent that counts the connections it opens (`createConnection` is the documented hook). */
class CountingAgent extends Agent {
  connections = 0;
  constructor(options: AgentOptions = { keepAlive: true }) {
    super(options);
  }
  override createConnection(...args: Parameters<Agent['createConnection']>): Duplex | null | undefined {
    this.connections++;
    return super.createConnection(...args);
  }
}

/** Waits, a bounded number of turns, until `done()` holds; false if it never did. */
async function eventually(done: () => boolean, turns = 500): Promise<boolean> {
  for (let i = 0; i < turns && !done(); i++) await new Promise((resolve) => setTimeout(resolve, 10));
  return done();
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
      [404, 'channel_not_found'],
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

    it.each([
      ['never answers', { status: 200, hang: true }],
      ['sends its headers and never finishes the body', { status: 200, body: 'o', hangBody: true }],
    ] as [string, FakeAnswer][])(
      'times out a server that %s, destroys the socket, retries, and gives up with a timeout error',
      async (_, answer) => {
        const slack = await fakeSlack(() => answer);
        // The timeout is a real timer, so nothing asserted here depends on the machine's speed: a
        // loaded machine may give up before the server has even read the request, so the posts are
        // counted where they start, on the client (a timed-out socket is never reused, so each
        // attempt opens a connection).
        const agent = new CountingAgent();
        const c = channel(fakeClock(), {
          timeoutMs: 200,
          agent,
          retry: { maxAttempts: 2, sleep: async () => {} },
        });
        const error = await failure(c.send({ webhookUrl: slack.url, message, threadKey: 'a1' }));
        expect(error.code).toBe('timeout');
        expect(error.message).toContain('200 ms');
        expect(error.attempts).toBe(2);
        expect(agent.connections).toBe(2);
        expectNoSecret(error);
        // Destroyed, not left open or handed back to the agent for the next post.
        expect(await eventually(() => slack.openConnections() === 0)).toBe(true);
        expect(Object.keys(agent.freeSockets)).toEqual([]);
        agent.destroy();
      },
      60_000, // a ceiling for a loaded machine, not a speed requirement
    );

    it('retries a refused connection as transient', async () => {
      const slack = await fakeSlack(() => ({ status: 200 }));
      await slack.close();
      servers = [];
      const error = await failure(channel().send({ webhookUrl: slack.url, message, threadKey: 'a1' }));
      expect(error.code).toBe('transient');
      expect(error.attempts).toBe(3);
      expectNoSecret(error);
    });

    it('retries a connection that closes in the middle of the body as transient', async () => {
      const slack = await fakeSlack(() => ({ status: 200, body: 'o', dropBody: true }));
      const error = await failure(channel().send({ webhookUrl: slack.url, message, threadKey: 'a1' }));
      expect(error).toMatchObject({ code: 'transient', retryable: true, attempts: 3 });
      expect(error.message).toContain('ECONNRESET');
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
      ['without its leading slash', SECRET_PATH.slice(1)],
      ['URL-encoded', encodeURIComponent(SECRET_PATH)],
      ['upper-cased', SECRET_PATH.toUpperCase()],
      ['in an HTML error page', `<html><body>No route for POST ${SECRET_PATH}</body></html>`],
    ])('never quotes a body that echoes the webhook path %s', async (_, echoed) => {
      for (const status of [404, 500, 429]) {
        const slack = await fakeSlack(() => ({ status, body: echoed, headers: { 'retry-after': '0' } }));
        const error = await failure(channel().send({ webhookUrl: slack.url, message, threadKey: 'a1' }));
        expect(error.message).toContain(`${status} (body not shown: not a Slack error code)`);
        expectNoSecret(error);
        const check = await channel()
          .verifyWebhook(slack.url)
          .catch((e: unknown) => e);
        expectNoSecret(check);
      }
    });

    it('answers a redirect with a permanent config error that says the URL redirects, without retrying', async () => {
      const slack = await fakeSlack(() => ({
        status: 302,
        headers: { location: `https://evil.example${SECRET_PATH}` },
      }));
      const error = await failure(channel().send({ webhookUrl: slack.url, message, threadKey: 'a1' }));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({ code: 'config', retryable: false, attempts: 1 });
      expect(error.message).toContain('webhookUrl: the URL redirects (HTTP 302)');
      expect(slack.requests).toHaveLength(1);
      expectNoSecret(error);
    });

    it.each([
      ['http to a host that is not loopback', `http://example.com${SECRET_PATH}`],
      ['https to a host that is not Slack', `https://evil.example${SECRET_PATH}`],
      ['https to an internal address', `https://169.254.169.254${SECRET_PATH}`],
      ['a non-http scheme', `file:///etc/passwd`],
      ['credentials in the URL', `https://user:pw@hooks.slack.com${SECRET_PATH}`],
      ['no URL at all', 'not a url s3cr3tW3bh00kT0k3n'],
      ['a port other than 443 on hooks.slack.com', `https://hooks.slack.com:8443${SECRET_PATH}`],
      ['a URL over 2,048 characters', `https://hooks.slack.com${SECRET_PATH}/${'x'.repeat(2048)}`],
    ])('refuses %s with a ConfigError before any request', async (_, webhookUrl) => {
      const c = createSlackWebhookChannel({ retry: { sleep: async () => {} } });
      const error = await failure(c.send({ webhookUrl, message, threadKey: 'a1' }));
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain('webhookUrl');
      expectNoSecret(error);
    });

    it('posts every message of a channel over one keep-alive connection when they go one at a time', async () => {
      const slack = await fakeSlack(() => ({ status: 200, body: 'ok' }));
      const c = channel(fakeClock(), { rateLimit: false });
      for (let i = 0; i < 5; i++) await c.send({ webhookUrl: slack.url, message, threadKey: `a${i}` });
      expect(slack.requests).toHaveLength(5);
      expect(slack.connections()).toBe(1);
      expect(slack.requests[0]?.headers.connection).toBe('keep-alive');
      c.close();
      expect(await eventually(() => slack.openConnections() === 0)).toBe(true);
    });

    it('posts through an injected agent, and leaves it open on close()', async () => {
      const slack = await fakeSlack(() => ({ status: 200, body: 'ok' }));
      const agent = new CountingAgent();
      const c = channel(fakeClock(), { agent, rateLimit: false });
      await c.send({ webhookUrl: slack.url, message, threadKey: 'a1' });
      await c.send({ webhookUrl: slack.url, message, threadKey: 'a2' });
      expect(agent.connections).toBe(1);
      c.close();
      await c.send({ webhookUrl: slack.url, message, threadKey: 'a3' });
      expect(agent.connections).toBe(1);
      agent.destroy();
    });

    it('refuses an http.Agent for an https webhook before any request, naming the option', async () => {
      const agent = new CountingAgent();
      const c = createSlackWebhookChannel({ agent, retry: { sleep: async () => {} } });
      const error = await failure(
        c.send({ webhookUrl: `https://hooks.slack.com${SECRET_PATH}`, message, threadKey: 'a1' }),
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toContain('agent: the agent speaks http: but the webhook URL is https:');
      expect(agent.connections).toBe(0);
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
      // Time moves only when every sender is asleep and no request is in flight, so that HTTP
      // latency on a loaded machine cannot change what the server sees.
      const clock = virtualClock();
      // Another sender already used one of the 5 burst slots, so our fifth message meets a 429.
      let tokens = 4;
      let last = 0;
      const statuses: number[] = [];
      const slack = await fakeSlack(() => {
        const t = clock.now();
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
        now: clock.now,
        agent: clock.agent,
        retry: { sleep: clock.sleep, maxAttempts: 5, random: () => 0 },
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
      // 4 burst slots, then about one a second.
      expect(clock.now()).toBeGreaterThanOrEqual(95_000);
    }, 60_000);

    it('after a 429 with Retry-After 3600, later sends to that webhook fail at once with rate_limited, sending nothing', async () => {
      const clock = fakeClock();
      const otherPath = '/services/T000TEST/B000OTHER/another';
      const slack = await fakeSlack((_, request) =>
        request.path === SECRET_PATH
          ? { status: 429, body: 'rate_limited', headers: { 'retry-after': '3600' } }
          : { status: 200, body: 'ok' },
      );
      const c = channel(clock);
      const first = await failure(c.send({ webhookUrl: slack.url, message, threadKey: 'a1' }));
      expect(first).toMatchObject({ code: 'rate_limited', retryAfterMs: 3_600_000, attempts: 1 });
      const later = await Promise.all(
        [2, 3, 4].map((i) => failure(c.send({ webhookUrl: slack.url, message, threadKey: `a${i}` }))),
      );
      for (const error of later) {
        expect(error).toMatchObject({ code: 'rate_limited', retryable: true, attempts: 0 });
        expect(error.retryAfterMs).toBeGreaterThan(60_000);
        expect(error.message).toContain('127.0.0.1');
        expectNoSecret(error);
      }
      expect(slack.requests).toHaveLength(1);
      // Nothing waited for the hour, nor for anything longer than maxRetryAfterMs.
      expect(Math.max(0, ...clock.state.sleeps)).toBeLessThanOrEqual(60_000);
      // Other webhooks are not held.
      const receipt = await c.send({ webhookUrl: `${slack.origin}${otherPath}`, message, threadKey: 'b' });
      expect(receipt.attempts).toBe(1);
    });

    it('a Retry-After beyond 2^31 ms overflows no timer and spins no loop: later sends fail at once', async () => {
      const warnings: Error[] = [];
      const onWarning = (warning: Error) => warnings.push(warning);
      process.on('warning', onWarning);
      try {
        const seconds = String(2 ** 31 / 1000 + 3600);
        const slack = await fakeSlack(() => ({
          status: 429,
          body: 'rate_limited',
          headers: { 'retry-after': seconds },
        }));
        // Real timers and the real clock: the overflow is setTimeout's own.
        const c = createSlackWebhookChannel({ allowedHosts: ['127.0.0.1'], retry: { random: () => 0 } });
        const first = await failure(c.send({ webhookUrl: slack.url, message, threadKey: 'a1' }));
        expect(first.code).toBe('rate_limited');
        expect(first.retryAfterMs).toBeLessThan(2 ** 31);
        const later = await Promise.all(
          [2, 3].map((i) => failure(c.send({ webhookUrl: slack.url, message, threadKey: `a${i}` }))),
        );
        for (const error of later) expect(error).toMatchObject({ code: 'rate_limited', attempts: 0 });
        expect(slack.requests).toHaveLength(1);
        await new Promise((resolve) => setImmediate(resolve)); // warnings are emitted on a later tick
        expect(warnings.map((w) => w.name)).not.toContain('TimeoutOverflowWarning');
      } finally {
        process.off('warning', onWarning);
      }
    }, 60_000); // before the fix it never ended: this is the ceiling that caught it

    it('takes one limiter slot per delivery: a retry after a 500 does not queue for a new slot', async () => {
      const clock = fakeClock();
      const slack = await fakeSlack((i) =>
        i === 0 ? { status: 500, body: 'internal_error' } : { status: 200, body: 'ok' },
      );
      const c = channel(clock, { rateLimit: { perSecond: 1, burst: 1 } });
      const receipt = await c.send({ webhookUrl: slack.url, message, threadKey: 'a1' });
      expect(receipt.attempts).toBe(2);
      // The backoff (half of 1 s with random 0.5) and nothing else.
      expect(clock.state.sleeps).toEqual([500]);
    });

    it('a retry after a 429 waits for the hold and goes first, ahead of the messages queued behind it', async () => {
      const clock = virtualClock();
      const seen: [string, number, number][] = [];
      const slack = await fakeSlack((i, request) => {
        const text = (JSON.parse(request.body) as { text: string }).text;
        const status = i === 0 ? 429 : 200;
        seen.push([text, clock.now(), status]);
        return status === 429
          ? { status, body: 'rate_limited', headers: { 'retry-after': '2' } }
          : { status, body: 'ok' };
      });
      const c = createSlackWebhookChannel({
        allowedHosts: ['127.0.0.1'],
        now: clock.now,
        agent: clock.agent,
        rateLimit: { perSecond: 1, burst: 1 },
        retry: { sleep: clock.sleep, random: () => 0 },
      });
      const results = await c.sendBatch(
        ['m0', 'm1', 'm2'].map((text) => ({
          webhookUrl: slack.url,
          message: slackMessage({ text, blocks: [header(text)] }),
          threadKey: text,
        })),
        { concurrency: 3 },
      );
      expect(results.every((r) => r.ok)).toBe(true);
      expect(seen.slice(0, 2)).toEqual([
        ['m0', 0, 429],
        ['m0', 2000, 200],
      ]);
      // The two queued behind it re-queue after the hold, one a second (in whichever order they woke).
      expect(seen.slice(2).map(([, t, status]) => [t, status])).toEqual([
        [3000, 200],
        [4000, 200],
      ]);
      expect(
        seen
          .slice(2)
          .map(([text]) => text)
          .sort(),
      ).toEqual(['m1', 'm2']);
    }, 60_000);

    it('posts a critical alert queued behind a backlog at the next slot, the others after it in their order', async () => {
      const clock = virtualClock();
      const seen: [string, number][] = [];
      const slack = await fakeSlack((_, request) => {
        seen.push([(JSON.parse(request.body) as { text: string }).text, clock.now()]);
        return { status: 200, body: 'ok' };
      });
      const c = createSlackWebhookChannel({
        allowedHosts: ['127.0.0.1'],
        now: clock.now,
        agent: clock.agent,
        rateLimit: { perSecond: 1, burst: 1 },
        retry: { sleep: clock.sleep, random: () => 0 },
      });
      const post = (text: string, severity: 'critical' | 'medium') =>
        c.send(
          { webhookUrl: slack.url, message: slackMessage({ text, blocks: [header(text)] }), threadKey: text },
          { severity },
        );
      const receipts = await Promise.all([
        ...['m0', 'm1', 'm2', 'm3'].map((text) => post(text, 'medium')),
        post('c0', 'critical'),
      ]);
      clock.agent.destroy();
      expect(receipts).toHaveLength(5);
      expect(seen).toEqual([
        ['m0', 0],
        ['c0', 1000],
        ['m1', 2000],
        ['m2', 3000],
        ['m3', 4000],
      ]);
    }, 60_000);
  });

  describe('options', () => {
    it.each([
      [{ timeoutMs: -1 }, 'timeoutMs', '-1'],
      [{ timeoutMs: Number.NaN }, 'timeoutMs', 'NaN'],
      [{ timeoutMs: 2 ** 31 }, 'timeoutMs', '2147483648'],
      [{ rateLimit: { perSecond: 0 } }, 'rateLimit.perSecond', '0'],
      [{ rateLimit: { perSecond: Number.NaN } }, 'rateLimit.perSecond', 'NaN'],
      [{ rateLimit: { burst: 0 } }, 'rateLimit.burst', '0'],
      [{ rateLimit: { burst: 2.5 } }, 'rateLimit.burst', '2.5'],
      [{ rateLimit: { priorityAtOrAbove: 'urgent' } }, 'rateLimit.priorityAtOrAbove', '"urgent"'],
      [{ retry: { maxAttempts: 0 } }, 'retry.maxAttempts', '0'],
      [{ retry: { maxRetryAfterMs: Number.POSITIVE_INFINITY } }, 'retry.maxRetryAfterMs', 'Infinity'],
      [{ retry: { baseDelayMs: -5 } }, 'retry.baseDelayMs', '-5'],
      [{ retry: { maxDelayMs: 2 ** 31 } }, 'retry.maxDelayMs', '2147483648'],
      [{ retry: { factor: Number.NaN } }, 'retry.factor', 'NaN'],
      [{ timeoutMs: '100' }, 'timeoutMs', '"100"'],
    ])('refuses %o when the channel is created, naming the option and the value', (options, path, shown) => {
      const create = () =>
        createSlackWebhookChannel(options as Parameters<typeof createSlackWebhookChannel>[0]);
      expect(create).toThrow(ConfigError);
      expect(create).toThrow(`${path}: expected`);
      expect(create).toThrow(`got ${shown}`);
    });

    it('refuses a fetch option with a hint to pass an agent, and an agent that is not one', () => {
      const withFetch = () =>
        createSlackWebhookChannel({ fetch } as unknown as Parameters<typeof createSlackWebhookChannel>[0]);
      expect(withFetch).toThrow(ConfigError);
      expect(withFetch).toThrow('fetch: not supported');
      expect(withFetch).toThrow('pass `agent`');
      const notAnAgent = () =>
        createSlackWebhookChannel({ agent: {} } as unknown as Parameters<
          typeof createSlackWebhookChannel
        >[0]);
      expect(notAnAgent).toThrow('agent: expected an http.Agent or https.Agent');
    });

    it('accepts the defaults, rateLimit: false and every bound', () => {
      expect(() => createSlackWebhookChannel({})).not.toThrow();
      expect(() =>
        createSlackWebhookChannel({
          timeoutMs: 2 ** 31 - 1,
          rateLimit: false,
          retry: { maxAttempts: 1, maxRetryAfterMs: 0, baseDelayMs: 0, factor: 1 },
        }),
      ).not.toThrow();
      expect(() => createSlackWebhookChannel({ rateLimit: { perSecond: 0.01, burst: 1 } })).not.toThrow();
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

    it('reads any other answer as a send would: 429 waits for Retry-After, 408 may pass, a redirect is config', async () => {
      const answers: FakeAnswer[] = [
        { status: 429, body: 'rate_limited', headers: { 'retry-after': '30' } },
        { status: 408, body: '' },
        { status: 302, headers: { location: `https://evil.example${SECRET_PATH}` } },
      ];
      const slack = await fakeSlack((i) => answers[i] ?? { status: 200, body: 'ok' });
      const c = channel();
      const [limited, timedOut, redirected] = [
        await failure(c.verifyWebhook(slack.url)),
        await failure(c.verifyWebhook(slack.url)),
        await failure(c.verifyWebhook(slack.url)),
      ];
      expect(limited).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 30_000 });
      expect(limited.message).toContain('cannot tell whether it is live');
      expect(timedOut).toMatchObject({ code: 'transient', retryable: true });
      expect(redirected).toBeInstanceOf(ConfigError);
      for (const error of [limited, timedOut, redirected]) expectNoSecret(error);
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
