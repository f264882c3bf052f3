import { inspect } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmailChannel, type EmailChannel, type EmailLogger } from './email-channel.js';
import { SmtpError } from './smtp-error.js';
import {
  type Fault,
  startSilentServer,
  startTestServer,
  type TestServer,
} from './testing/smtp-test-server.js';

const PASSWORD = 'Tr0ub4dor&3-never-log-me';
const noSleep = async () => {};
const message = { to: 'ops@acme.test', subject: 'Disk full', html: '<p>Disk full</p>', text: 'Disk full' };

let server: TestServer | undefined;
let channel: EmailChannel | undefined;
const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  channel?.close();
  await server?.close();
  for (const cleanup of cleanups.splice(0)) await cleanup();
  channel = undefined;
  server = undefined;
});

function recordingLogger() {
  const lines: string[] = [];
  const record = (level: string) => (msg: string, meta?: Record<string, unknown>) => {
    lines.push(`${level} ${msg} ${JSON.stringify(meta ?? {})}`);
  };
  const logger: EmailLogger = { info: record('info'), warn: record('warn'), error: record('error') };
  return { logger, lines };
}

async function setup(fault: (n: number) => Fault | undefined, auth = true) {
  server = await startTestServer({ fault, auth: auth ? { user: 'mailer', pass: PASSWORD } : undefined });
  const { logger, lines } = recordingLogger();
  const delays: number[] = [];
  channel = createEmailChannel(
    {
      host: '127.0.0.1',
      port: server.port,
      useTls: false,
      user: 'mailer',
      password: PASSWORD,
      // A ceiling, not an expectation: a busy machine must not turn a slow reply into a retry.
      timeoutSeconds: 60,
    },
    { logger, retry: { sleep: async (ms) => void delays.push(ms), jitter: 'none', baseDelayMs: 100 } },
  );
  return { server, channel, lines, delays };
}

async function failure(promise: Promise<unknown>): Promise<SmtpError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmtpError);
  return error as SmtpError;
}

describe('createEmailChannel', () => {
  describe('send() against a faulty server', () => {
    it('retries a 421 and then delivers, after the backoff delay', async () => {
      const { server, channel, delays, lines } = await setup((n) =>
        n === 0 ? { at: 'rcpt', code: 421 } : undefined,
      );
      const receipt = await channel.send(message);
      expect(receipt.attempts).toBe(2);
      expect(delays).toEqual([100]);
      expect(server.received).toHaveLength(1);
      expect(lines.some((l) => l.startsWith('warn') && l.includes('"code":"transient"'))).toBe(true);
    });

    it.each([450, 451, 452])('retries a %i', async (code) => {
      const { server, channel } = await setup((n) => (n === 0 ? { at: 'mail', code } : undefined));
      await expect(channel.send(message)).resolves.toMatchObject({ attempts: 2 });
      expect(server.received).toHaveLength(1);
    });

    it('fails a 550 at once, with 1 attempt and the server reply', async () => {
      const { server, channel } = await setup(() => ({
        at: 'rcpt',
        code: 550,
        message: 'Mailbox unavailable',
      }));
      const error = await failure(channel.send(message));
      expect(error).toMatchObject({ code: 'permanent', retryable: false, attempts: 1, responseCode: 550 });
      expect(error.response).toContain('Mailbox unavailable');
      expect(error.message).toContain('550');
      expect(server.transactions()).toBe(1);
    });

    it.each([553, 554])('fails a %i at DATA at once', async (code) => {
      const { channel } = await setup(() => ({ at: 'data', code }));
      await expect(channel.send(message)).rejects.toMatchObject({
        code: 'permanent',
        attempts: 1,
        responseCode: code,
      });
    });

    it('fails a 535 at once as auth, and the password appears in no error or log line', async () => {
      server = await startTestServer({ auth: { user: 'mailer', pass: 'the-right-one' } });
      const { logger, lines } = recordingLogger();
      channel = createEmailChannel(
        { host: '127.0.0.1', port: server.port, useTls: false, user: 'mailer', password: PASSWORD },
        { logger, retry: { sleep: noSleep } },
      );
      const error = await failure(channel.send(message));
      expect(error).toMatchObject({ code: 'auth', retryable: false, attempts: 1, responseCode: 535 });
      expect(error.message).toMatch(/SMTP_USER and SMTP_PASSWORD/);
      const verified = await channel.verify();
      expect(verified.ok ? undefined : verified.error.code).toBe('auth');

      const everything = [
        inspect(error, { depth: 10 }),
        JSON.stringify(error),
        String(error.stack),
        inspect(verified, { depth: 10 }),
        inspect(channel, { depth: 10 }),
        JSON.stringify(channel.config),
        ...lines,
      ].join('\n');
      expect(lines.length).toBeGreaterThan(0);
      for (const form of [
        PASSWORD,
        Buffer.from(PASSWORD).toString('base64'),
        Buffer.from(`\0mailer\0${PASSWORD}`).toString('base64'),
      ]) {
        expect(everything).not.toContain(form);
      }
    });

    it('keeps the password out of errors and logs when the server echoes it encoded', async () => {
      const password = "Tr0ub4dor&3 = ü/never+log!'me";
      const forms = [
        encodeURIComponent(password),
        encodeURIComponent(password).replace(/%[0-9A-F]{2}/g, (m) => m.toLowerCase()),
        new URLSearchParams({ p: password }).toString().slice(2),
        Buffer.from(password).toString('hex'),
        Buffer.from(password).toString('base64url'),
        JSON.stringify(password).slice(1, -1),
        password.replace(/&/g, '&amp;').replace(/'/g, '&#39;'),
      ];
      server = await startTestServer({
        auth: { user: 'mailer', pass: 'the-right-one' },
        // A server (or proxy) that quotes the attempted login back in every encoding it knows.
        authFailure: (_user, attempted) =>
          `Invalid login ${forms.map((f) => `[${f.replace(password, attempted)}]`).join(' ')}`,
      });
      const { logger, lines } = recordingLogger();
      channel = createEmailChannel(
        { host: '127.0.0.1', port: server.port, useTls: false, user: 'mailer', password },
        { logger, retry: { sleep: noSleep } },
      );
      const error = await failure(channel.send(message));
      expect(error).toMatchObject({ code: 'auth', responseCode: 535 });
      expect(error.response).toContain('Invalid login [[redacted]]');
      const verified = await channel.verify();
      const everything = [
        inspect(error, { depth: 10 }),
        JSON.stringify(error),
        String(error.stack),
        inspect(verified, { depth: 10 }),
        ...lines,
      ].join('\n');
      for (const form of [password, ...forms]) expect(everything).not.toContain(form);
    });

    it('times out within the configured timeout when the server never answers', async () => {
      const silent = await startSilentServer();
      cleanups.push(silent.close);
      channel = createEmailChannel(
        { host: '127.0.0.1', port: silent.port, useTls: false, timeoutSeconds: 0.2 },
        { retry: { sleep: noSleep, maxAttempts: 2 } },
      );
      const error = await failure(channel.send(message));
      expect(error).toMatchObject({ code: 'timeout', retryable: true, attempts: 2 });
      // Greeting and socket timeouts are both set to 0.2 s here and race on a busy machine; either way
      // it is our timeout that fired (nodemailer's own defaults are 30 s and 10 min).
      expect(error.message).toMatch(
        /did not answer in time \((GREETING|SOCKET|CONNECTION)_TIMEOUT|ETIMEDOUT\)/,
      );
    });

    it('retries a connection dropped in the middle of DATA', async () => {
      const { server, channel } = await setup((n) => (n === 0 ? { at: 'data', drop: true } : undefined));
      const receipt = await channel.send(message);
      expect(receipt.attempts).toBe(2);
      expect(server.received).toHaveLength(1);
      expect(server.received[0]!.parsed.messageId).toBe(receipt.providerId);
    });

    it('retries a refused connection and gives up after maxAttempts', async () => {
      const silent = await startSilentServer();
      await silent.close();
      channel = createEmailChannel(
        { host: '127.0.0.1', port: silent.port, useTls: false, timeoutSeconds: 60 },
        { retry: { sleep: noSleep, maxAttempts: 3 } },
      );
      await expect(channel.send(message)).rejects.toMatchObject({ code: 'transient', attempts: 3 });
    });

    it('stops at once when the signal is aborted', async () => {
      const { server, channel } = await setup(() => undefined);
      const controller = new AbortController();
      controller.abort();
      await expect(channel.send(message, { signal: controller.signal })).rejects.toMatchObject({
        code: 'aborted',
        attempts: 0,
      });
      expect(server.transactions()).toBe(0);
    });
  });

  describe('sendBatch() against a faulty server', () => {
    // Which messages fail is decided by the message (its recipient), not by the order in which
    // transactions reach the server: that order changes with load, and a counter over it let one
    // unlucky message meet a fault on every attempt. Timeouts are ceilings far above a normal run.
    it('delivers all 200 messages when 10% of them fail transiently once', async () => {
      const firstSeen = new Set<string>();
      const { server, channel } = await setup(() => undefined);
      const deferOnce = (address: string) => {
        const index = Number(/^u(\d+)@/.exec(address)?.[1]);
        if (index % 10 !== 3 || firstSeen.has(address)) return undefined;
        firstSeen.add(address);
        return { code: 451, message: '4.3.0 Try again later' };
      };
      server.rcpt = deferOnce;
      const messages = Array.from({ length: 200 }, (_, i) => ({
        ...message,
        to: `u${i}@acme.test`,
        subject: `alert ${i}`,
      }));
      let last = { done: 0, failed: 0, total: 0 };
      const results = await channel.sendBatch(messages, { concurrency: 5, onProgress: (p) => (last = p) });

      expect(results).toHaveLength(200);
      expect(results.filter((r) => r.ok)).toHaveLength(200);
      expect(last).toEqual({ done: 200, failed: 0, total: 200 });
      const attempts = results.map((r) => (r.ok ? r.value.attempts : 0));
      expect(attempts.filter((a) => a === 2)).toHaveLength(20);
      expect(attempts.filter((a) => a === 1)).toHaveLength(180);
      expect(new Set(server.received.map((m) => m.parsed.subject)).size).toBe(200);
      expect(server.received).toHaveLength(200);
      expect(server.transactions()).toBe(220);
    }, 120_000);
  });
});
