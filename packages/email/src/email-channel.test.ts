import { ConfigError } from '@pytake/notify-core';
import { createTransport } from 'nodemailer';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmailChannel, type EmailChannel, type EmailChannelOptions } from './email-channel.js';
import type { EmailMessage } from './email-message.js';
import { startTestServer, type TestServer } from './testing/smtp-test-server.js';
import { threadMessageId } from './threading.js';

const noSleep = async () => {};
let server: TestServer | undefined;
let channel: EmailChannel | undefined;

afterEach(async () => {
  channel?.close();
  await server?.close();
  channel = undefined;
  server = undefined;
});

async function setup(options: Parameters<typeof startTestServer>[0] = {}) {
  server = await startTestServer(options);
  channel = createEmailChannel(
    {
      host: '127.0.0.1',
      port: server.port,
      useTls: false,
      fromEmail: 'alerts@pytake.test',
      fromName: 'PyTake Alerts',
      timeoutSeconds: 60,
    },
    { retry: { sleep: noSleep } },
  );
  return { server, channel };
}

describe('createEmailChannel', () => {
  describe('send()', () => {
    it('delivers From, To, Cc, Reply-To, both parts and custom headers, with Bcc only in the envelope', async () => {
      const { server, channel } = await setup();
      const receipt = await channel.send({
        to: [{ email: 'ops@acme.test', name: 'Ops Team' }, 'oncall@acme.test'],
        cc: 'lead@acme.test',
        bcc: ['audit@acme.test'],
        replyTo: { email: 'support@pytake.test', name: 'Support' },
        subject: 'Alerta crítico: São Paulo ⚠️🔥',
        html: '<p>Disk <b>full</b></p>',
        text: 'Disk full',
        headers: { 'X-PyTake-Alert': 'alrt_1' },
      });

      expect(receipt.attempts).toBe(1);
      expect(receipt.providerId).toMatch(/^<[^@]+@pytake\.test>$/);
      expect(server.received).toHaveLength(1);
      const mail = server.received[0]!;
      expect(mail.envelope.from).toBe('alerts@pytake.test');
      expect(mail.envelope.to.sort()).toEqual(
        ['audit@acme.test', 'lead@acme.test', 'ops@acme.test', 'oncall@acme.test'].sort(),
      );
      const { parsed } = mail;
      expect(parsed.from?.value).toEqual([{ address: 'alerts@pytake.test', name: 'PyTake Alerts' }]);
      expect((Array.isArray(parsed.to) ? parsed.to : [parsed.to]).flatMap((a) => a?.value ?? [])).toEqual([
        { address: 'ops@acme.test', name: 'Ops Team' },
        { address: 'oncall@acme.test', name: '' },
      ]);
      expect(parsed.cc && !Array.isArray(parsed.cc) ? parsed.cc.value : undefined).toEqual([
        { address: 'lead@acme.test', name: '' },
      ]);
      expect(parsed.headers.has('bcc')).toBe(false);
      expect(mail.raw).not.toMatch(/audit@acme\.test/);
      expect(parsed.replyTo?.value).toEqual([{ address: 'support@pytake.test', name: 'Support' }]);
      expect(parsed.subject).toBe('Alerta crítico: São Paulo ⚠️🔥');
      expect(parsed.html).toContain('<p>Disk <b>full</b></p>');
      expect(parsed.text?.trim()).toBe('Disk full');
      expect(parsed.headers.get('content-type')).toMatchObject({ value: 'multipart/alternative' });
      expect(parsed.headers.get('x-pytake-alert')).toBe('alrt_1');
      expect(parsed.messageId).toBe(receipt.providerId);
    });

    it('keeps every header line within 998 characters, with subject and header values intact', async () => {
      server = await startTestServer();
      const run = 'A'.repeat(2000);
      channel = createEmailChannel(
        { host: '127.0.0.1', port: server.port, useTls: false, fromName: `Pytake${run}`, timeoutSeconds: 60 },
        { retry: { sleep: noSleep } },
      );
      // Within the subject cap (250 characters), with runs that nodemailer cannot fold at a space.
      const subject = `Disk ${run.slice(0, 200)} full ${'b'.repeat(30)}é`;
      const headerValue = `v${run}`;
      await channel.send({
        to: [{ email: 'ops@acme.test', name: `Ops${run}` }, 'oncall@acme.test'],
        cc: { email: 'lead@acme.test', name: `Le ad${run}` },
        replyTo: { email: 'support@pytake.test', name: `S${run}` },
        subject,
        html: '<p>x</p>',
        headers: { 'X-Long': headerValue, 'X-Spaced': `${'word '.repeat(400)}end` },
      });
      const [mail] = server.received;
      const lines = mail!.raw.split('\r\n');
      const longest = Math.max(...lines.map((l) => l.length));
      expect(longest).toBeLessThanOrEqual(998);
      expect(mail!.parsed.subject).toBe(subject);
      // mailparser leaves custom headers encoded: decode the RFC 2047 words as a mail client would
      // (adjacent encoded-words are joined without the whitespace between them).
      const decoded = String(mail!.parsed.headers.get('x-long'))
        .split(/\s+/)
        .map((word) => {
          const b64 = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]*)\?=$/.exec(word)?.[1];
          expect(b64).toBeDefined();
          return Buffer.from(b64!, 'base64').toString('utf8');
        })
        .join('');
      expect(decoded).toBe(headerValue);
      expect(mail!.parsed.headers.get('x-spaced')).toBe(`${'word '.repeat(400)}end`);
      const to = Array.isArray(mail!.parsed.to) ? mail!.parsed.to[0] : mail!.parsed.to;
      expect(to?.value[0]).toEqual({ address: 'ops@acme.test', name: `Ops${run.slice(0, 96)}…` });
      expect(mail!.parsed.from?.value[0]?.name).toHaveLength(100);
    });

    it('caps the subject at 250 characters, ending in …, and keeps the header block small', async () => {
      const { server, channel } = await setup();
      // About 1 MB, spaces and non-ASCII included, as a template fed a runaway alert title would make.
      const huge = 'Disk almost full on db-1 🔥 '.repeat(40_000);
      await channel.send({ to: 'ops@acme.test', subject: huge, html: '<p>x</p>' });
      // At a character boundary: an emoji (a surrogate pair) right at the cut is kept whole or left out.
      const emojiAtCut = `${'a'.repeat(248)}${'🔥'.repeat(10)}`;
      await channel.send({ to: 'ops@acme.test', subject: emojiAtCut, html: '<p>x</p>' });
      // 250 characters (260 UTF-16 code units) arrive as they are.
      const atLimit = `${'a'.repeat(240)}${'🔥'.repeat(10)}`;
      await channel.send({ to: 'ops@acme.test', subject: atLimit, html: '<p>x</p>' });

      const [first, second, third] = server.received;
      expect(first!.parsed.subject).toBe(`${[...huge].slice(0, 249).join('')}…`);
      expect(second!.parsed.subject).toBe(`${'a'.repeat(248)}🔥…`);
      expect(third!.parsed.subject).toBe(atLimit);
      for (const mail of server.received) {
        const head = mail.raw.slice(0, mail.raw.indexOf('\r\n\r\n'));
        expect(Buffer.byteLength(head)).toBeLessThan(4096);
        expect(Math.max(...head.split('\r\n').map((l) => l.length))).toBeLessThanOrEqual(78);
      }
    });

    it('sends a single html part when no text is given', async () => {
      const { server, channel } = await setup();
      await channel.send({ to: 'ops@acme.test', subject: 'Hi', html: '<p>Hi</p>' });
      expect(server.received[0]!.parsed.headers.get('content-type')).toMatchObject({ value: 'text/html' });
    });

    it('threads messages with the same threadKey under one root id that no message claims', async () => {
      const { server, channel } = await setup();
      const base = { to: 'ops@acme.test', html: '<p>x</p>', threadKey: 'alrt_42' };
      const created = await channel.send({ ...base, subject: 'Created', threadRoot: true });
      const escalated = await channel.send({ ...base, subject: 'Escalated' });
      const resolved = await channel.send({ ...base, subject: 'Resolved' });

      const root = threadMessageId('alrt_42', 'alerts@pytake.test');
      expect(created.providerId).not.toBe(root);
      const [first, second, third] = server.received.map((m) => m.parsed);
      expect(first!.messageId).toBe(created.providerId);
      expect(first!.references).toBe(root);
      expect(first!.inReplyTo).toBeUndefined();
      for (const later of [second!, third!]) {
        expect(later.messageId).not.toBe(root);
        expect(later.inReplyTo).toBe(root);
        expect(later.references).toBe(root);
      }
      expect(new Set([created, escalated, resolved].map((r) => r.providerId)).size).toBe(3);
    });

    it('refuses an invalid message with a ValidationError and sends nothing', async () => {
      const { server, channel } = await setup();
      const bad: EmailMessage[] = [
        { to: 'not-an-address', subject: 'x', html: '' },
        { to: [], subject: 'x', html: '' },
        { to: 'ops@acme.test', subject: 'x\r\nBcc: victim@evil.test', html: '' },
        { to: 'ops@acme.test', subject: 'x', html: '', headers: { 'X-Ok': 'a\nb' } },
        { to: 'ops@acme.test', subject: 'x', html: '', headers: { 'X-Bad\r\nBcc': 'v' } },
        { to: 'ops@acme.test', subject: 'x', html: '', headers: { 'Message-ID': '<x@y>' } },
        { to: 'ops@acme.test', subject: 'x', html: '', headers: { bcc: 'victim@evil.test' } },
      ];
      for (const message of bad) {
        await expect(channel.send(message)).rejects.toMatchObject({
          name: 'ValidationError',
          code: 'validation',
        });
      }
      expect(server.transactions()).toBe(0);
    });

    it('throws a ConfigError when no host is set, and isConfigured() says so', async () => {
      const unconfigured = createEmailChannel({});
      expect(unconfigured.isConfigured()).toBe(false);
      await expect(unconfigured.send({ to: 'a@b.test', subject: 's', html: '' })).rejects.toMatchObject({
        code: 'config',
      });
      const disabled = createEmailChannel({ host: 'smtp.example.com', enabled: false });
      expect(disabled.isConfigured()).toBe(false);
      expect(createEmailChannel({ host: 'smtp.example.com' }).isConfigured()).toBe(true);
    });

    it('logs in with SMTP_USER/SMTP_PASSWORD', async () => {
      server = await startTestServer({ auth: { user: 'mailer', pass: 's3cret-pass' } });
      channel = createEmailChannel(
        { host: '127.0.0.1', port: server.port, useTls: false, user: 'mailer', password: 's3cret-pass' },
        { retry: { sleep: noSleep } },
      );
      await channel.send({ to: 'ops@acme.test', subject: 'x', html: 'x' });
      expect(server.received[0]!.user).toBe('mailer');
    });
  });

  describe('sendBatch()', () => {
    it('returns one result per message in input order and reports progress', async () => {
      const { server, channel } = await setup();
      const progress: number[] = [];
      const messages = [
        { to: 'a@acme.test', subject: '1', html: '1' },
        { to: 'nope', subject: '2', html: '2' },
        { to: 'c@acme.test', subject: '3', html: '3' },
      ];
      const results = await channel.sendBatch(messages, {
        concurrency: 2,
        onProgress: (p) => progress.push(p.done),
      });
      expect(results.map((r) => r.ok)).toEqual([true, false, true]);
      expect(results[1]!.ok ? undefined : results[1]!.error.code).toBe('validation');
      expect(progress).toEqual([1, 2, 3]);
      expect(server.received.map((m) => m.parsed.subject).sort()).toEqual(['1', '3']);
    });

    it('pulls lazily from a generator', async () => {
      const { server, channel } = await setup();
      let produced = 0;
      let mostAhead = 0;
      function* messages() {
        for (let i = 0; i < 20; i++) {
          produced++;
          yield { to: `u${i}@acme.test`, subject: `m${i}`, html: 'x' };
        }
      }
      const results = await channel.sendBatch(messages(), {
        concurrency: 3,
        // How many messages were rendered but not yet settled: bounded by the concurrency, not the batch.
        onProgress: ({ done }) => {
          mostAhead = Math.max(mostAhead, produced - done);
        },
      });
      expect(produced).toBe(20);
      expect(mostAhead).toBeLessThanOrEqual(3);
      expect(results.every((r) => r.ok)).toBe(true);
      expect(server.received).toHaveLength(20);
    });

    it.each([
      [2, 5],
      [8, 3],
    ])(
      'keeps at most min(concurrency %i, pool %i) messages at the server at once, and loses none',
      async (concurrency, maxConnections) => {
        server = await startTestServer({ dataReplyDelayMs: 20 });
        channel = createEmailChannel(
          { host: '127.0.0.1', port: server.port, useTls: false, timeoutSeconds: 60 },
          { retry: { sleep: noSleep }, pool: { maxConnections } },
        );
        let produced = 0;
        let mostAhead = 0;
        const total = 24;
        function* messages() {
          for (let i = 0; i < total; i++) {
            produced++;
            yield { to: `u${i}@acme.test`, subject: `m${i}`, html: 'x' };
          }
        }
        const results = await channel.sendBatch(messages(), {
          concurrency,
          onProgress: ({ done }) => {
            mostAhead = Math.max(mostAhead, produced - done);
          },
        });
        expect(results.filter((r) => r.ok)).toHaveLength(total);
        expect(server.received.map((m) => m.parsed.subject).sort()).toEqual(
          Array.from({ length: total }, (_, i) => `m${i}`).sort(),
        );
        // Memory stays flat in the batch's length: what is held at once is bounded by these two.
        expect(server.maxInFlight()).toBeGreaterThanOrEqual(1);
        expect(server.maxInFlight()).toBeLessThanOrEqual(Math.min(concurrency, maxConnections));
        expect(mostAhead).toBeLessThanOrEqual(concurrency);
      },
    );
  });

  describe('options', () => {
    it('sends with an injected nodemailer transport and leaves it open on close()', async () => {
      server = await startTestServer();
      const transport = createTransport({
        pool: true,
        host: '127.0.0.1',
        port: server.port,
        ignoreTLS: true,
      });
      const injected = createEmailChannel({}, { transport });
      expect(injected.isConfigured()).toBe(true);
      await injected.send({ to: 'ops@acme.test', subject: 'via injected', html: 'x' });
      injected.close();
      await transport.sendMail({ from: 'a@acme.test', to: 'b@acme.test', text: 'still open' });
      transport.close();
      expect(server.received.map((m) => m.parsed.subject ?? m.parsed.text?.trim())).toEqual([
        'via injected',
        'still open',
      ]);
    });

    it('delivers with an injected transport that reports no per-recipient answers (JSON, stream, SES)', async () => {
      const transport = createTransport({ jsonTransport: true });
      const injected = createEmailChannel({}, { transport, maxRecipientsPerTransaction: 2 });
      const receipt = await injected.send({
        to: ['a@acme.test', 'b@acme.test', 'c@acme.test'],
        subject: 'x',
        html: 'x',
      });
      expect(receipt).toMatchObject({ attempts: 1 });
      expect(receipt.refused).toBeUndefined();
    });

    it('keeps sending with the injected transport after close()', async () => {
      server = await startTestServer();
      const transport = createTransport({ host: '127.0.0.1', port: server.port, ignoreTLS: true });
      // No host in the config: only the injected transport can deliver.
      const injected = createEmailChannel({}, { transport, retry: { sleep: noSleep } });
      injected.close();
      await expect(
        injected.send({ to: 'ops@acme.test', subject: 'after close', html: 'x' }),
      ).resolves.toMatchObject({ attempts: 1 });
      transport.close();
      expect(server.received.map((m) => m.parsed.subject)).toEqual(['after close']);
    });

    it('delivers once even when the logger throws', async () => {
      server = await startTestServer();
      const explode = () => {
        throw new Error('log sink down');
      };
      channel = createEmailChannel(
        { host: '127.0.0.1', port: server.port, useTls: false },
        { logger: { info: explode, warn: explode, error: explode }, retry: { sleep: noSleep } },
      );
      await expect(channel.send({ to: 'ops@acme.test', subject: 'x', html: 'x' })).resolves.toMatchObject({
        attempts: 1,
      });
      expect(server.received).toHaveLength(1);
    });

    it('refuses a bad pool option with a ConfigError naming it', () => {
      expect(() => createEmailChannel({ host: 'h' }, { pool: { maxConnections: 0 } })).toThrow(
        /pool\.maxConnections: expected a value >= 1, got 0/,
      );
    });

    it('refuses every bad numeric option when the channel is created, naming it and echoing the value', () => {
      const cases: [EmailChannelOptions, RegExp][] = [
        [{ retry: { maxAttempts: Number.NaN } }, /retry\.maxAttempts: .*got NaN/],
        [{ retry: { maxAttempts: 0 } }, /retry\.maxAttempts: expected an integer from 1 to 100, got 0/],
        [
          { retry: { baseDelayMs: -1 } },
          /retry\.baseDelayMs: expected a number of milliseconds from 0 to 2147483647, got -1/,
        ],
        [{ retry: { factor: Number.POSITIVE_INFINITY } }, /retry\.factor: .*got Infinity/],
        [{ retry: { maxDelayMs: Number.NaN } }, /retry\.maxDelayMs: .*got NaN/],
        [
          { retry: { maxRetryAfterMs: -5 } },
          /retry\.maxRetryAfterMs: expected a number of milliseconds from 0 to 2147483647, got -5/,
        ],
        [{ pool: { rateLimit: Number.NaN } }, /pool\.rateLimit: .*got NaN/],
        [{ pool: { maxMessages: 0.5 } }, /pool\.maxMessages/],
        [{ maxRecipientsPerTransaction: 0 }, /maxRecipientsPerTransaction: expected a value >= 1, got 0/],
      ];
      for (const [options, message] of cases) {
        expect(() => createEmailChannel({ host: 'h' }, options)).toThrow(message);
        expect(() => createEmailChannel({ host: 'h' }, options)).toThrow(ConfigError);
      }
    });

    it('checks retry with the bounds of core retryOptionsSchema, the ones every channel uses', () => {
      // Each of these was accepted before: a wait no timer can hold, a factor of 1000, a sleep that is
      // not a function, an unknown jitter.
      const cases: [EmailChannelOptions['retry'], string][] = [
        [
          { maxDelayMs: 2 ** 31 },
          'retry.maxDelayMs: expected a number of milliseconds from 0 to 2147483647, got 2147483648',
        ],
        [
          { baseDelayMs: 2 ** 31 },
          'retry.baseDelayMs: expected a number of milliseconds from 0 to 2147483647',
        ],
        [{ maxRetryAfterMs: 2 ** 31 }, 'retry.maxRetryAfterMs: expected a number of milliseconds'],
        [{ factor: 1000 }, 'retry.factor: expected a number from 1 to 100, got 1000'],
        [{ sleep: 5 as never }, 'retry.sleep: expected a function, got 5'],
        [{ jitter: 'half' as never }, 'retry.jitter: expected one of full, none, got "half"'],
      ];
      for (const [retry, message] of cases) {
        expect(() => createEmailChannel({ host: 'h' }, { retry })).toThrow(ConfigError);
        expect(() => createEmailChannel({ host: 'h' }, { retry })).toThrow(message);
      }
      expect(() =>
        createEmailChannel(
          { host: 'h' },
          { retry: { maxDelayMs: 2 ** 31 - 1, factor: 100, jitter: 'none' } },
        ),
      ).not.toThrow();
    });

    it('refuses a sendBatch() concurrency that is not a positive integer', async () => {
      const { channel } = await setup();
      await expect(channel.sendBatch([], { concurrency: Number.NaN })).rejects.toThrow(
        /concurrency: .*got NaN/,
      );
      await expect(channel.sendBatch([], { concurrency: 0 })).rejects.toBeInstanceOf(ConfigError);
    });
  });

  describe('verify()', () => {
    it('resolves ok for a reachable server', async () => {
      const { channel } = await setup();
      await expect(channel.verify()).resolves.toEqual({ ok: true });
    });

    it('resolves with an error instead of throwing when the server is gone', async () => {
      const { server, channel } = await setup();
      await server.close();
      const result = await channel.verify();
      expect(result.ok).toBe(false);
      expect(result.ok ? undefined : result.error.code).toBe('transient');
    });

    it('resolves with a config error when no host is set', async () => {
      const result = await createEmailChannel({}).verify();
      expect(result.ok ? undefined : result.error.code).toBe('config');
    });
  });
});
