import { recipientDigest } from '@pytake/notify-core';
import { afterEach, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer, type TestServerOptions } from '../test/smtp-test-server.js';
import { createEmailChannel, type EmailChannel, type EmailChannelOptions } from './email-channel.js';

// The send options a queue worker passes: it retries the job itself (`retry: false`), takes its slot
// from a limiter shared in Redis (`rateLimit: false`), and retries a delivery only to the recipients
// the server deferred (`onlyRecipients`).

let server: TestServer | undefined;
let channel: EmailChannel | undefined;
afterEach(async () => {
  channel?.close();
  await server?.close();
  channel = undefined;
  server = undefined;
});

async function setup(serverOptions: TestServerOptions = {}, options: EmailChannelOptions = {}) {
  server = await startTestServer(serverOptions);
  const sleeps: number[] = [];
  channel = createEmailChannel(
    {
      host: '127.0.0.1',
      port: server.port,
      useTls: false,
      fromEmail: 'alerts@pytake.test',
      timeoutSeconds: 60,
    },
    { retry: { sleep: async (ms) => void sleeps.push(ms), jitter: 'none' }, ...options },
  );
  return { server, channel, sleeps };
}

const message = { subject: 'Replication lag', html: '<p>lag</p>' };

describe('createEmailChannel', () => {
  describe('send() with onlyRecipients', () => {
    it('puts only the listed recipients in the envelope and keeps the To and Cc headers whole', async () => {
      const { server, channel } = await setup();
      const receipt = await channel.send(
        { to: ['ops@acme.test', 'Slow@acme.test'], cc: 'lead@acme.test', bcc: 'audit@acme.test', ...message },
        { onlyRecipients: [recipientDigest('slow@acme.test'), recipientDigest('audit@acme.test')] },
      );
      expect(receipt.attempts).toBe(1);
      expect(server.received).toHaveLength(1);
      const [mail] = server.received;
      expect(mail!.envelope.to).toEqual(['Slow@acme.test', 'audit@acme.test']);
      expect(mail!.parsed.headers.get('to')).toMatchObject({ text: 'ops@acme.test, Slow@acme.test' });
      expect(mail!.parsed.headers.get('cc')).toMatchObject({ text: 'lead@acme.test' });
      expect(mail!.parsed.headers.has('bcc')).toBe(false);
    });

    it('resolves with no attempt and sends nothing when no recipient is listed', async () => {
      const { server, channel } = await setup();
      for (const onlyRecipients of [[], [recipientDigest('someone.else@acme.test')]]) {
        await expect(channel.send({ to: 'ops@acme.test', ...message }, { onlyRecipients })).resolves.toEqual({
          attempts: 0,
          durationMs: 0,
        });
      }
      expect(server.transactions()).toBe(0);
    });

    it('refuses onlyRecipients that is not a list of digests, before sending anything', async () => {
      const { server, channel } = await setup();
      await expect(
        channel.send({ to: 'ops@acme.test', ...message }, { onlyRecipients: 'ops@acme.test' as never }),
      ).rejects.toMatchObject({
        code: 'validation',
        attempts: 0,
        message: expect.stringContaining('onlyRecipients: expected array'),
      });
      expect(server.transactions()).toBe(0);
    });
  });

  describe('send() with rateLimit: false', () => {
    it('is not held by the pool rate limit that the other sends wait for', async () => {
      // One message per second over one connection: the queued sends drain one a second.
      const { server, channel } = await setup({}, { pool: { maxConnections: 1, rateLimit: 1 } });
      const stop = new AbortController();
      let limitedDone = 0;
      const limited = Array.from({ length: 5 }, (_, i) =>
        channel.send({ to: `queued${i}@acme.test`, ...message }, { signal: stop.signal }).then(
          () => void limitedDone++,
          () => {},
        ),
      );
      // Ordered, not timed: the queued sends need four more seconds of the limiter, and this one
      // does not wait for them.
      const receipt = await channel.send({ to: 'worker@acme.test', ...message }, { rateLimit: false });
      expect(receipt.attempts).toBe(1);
      expect(limitedDone).toBeLessThan(5);
      expect(server.received.map((m) => m.envelope.to[0])).toContain('worker@acme.test');
      stop.abort();
      await Promise.all(limited);
    });
  });
});
