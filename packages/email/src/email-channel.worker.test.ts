import { recipientDigest } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
import { smtpFailure as failure, useLocalChannel } from './testing/local-channel.js';

// The send options a queue worker passes: it retries the job itself (`retry: false`), takes its slot
// from a limiter shared in Redis (`rateLimit: false`), and retries a delivery only to the recipients
// the server deferred (`onlyRecipients`).

const setup = useLocalChannel();

const greylist = (address: string) =>
  address.toLowerCase().startsWith('slow')
    ? { code: 451, message: `4.7.1 Greylisted <${address}>` }
    : undefined;

const message = { subject: 'Replication lag', html: '<p>lag</p>' };

describe('createEmailChannel', () => {
  describe('send() with retry: false', () => {
    it('makes one attempt and throws its error as is, classified as without the option', async () => {
      const { server, channel, sleeps } = await setup({
        fault: () => ({ at: 'mail', code: 421, message: '4.3.2 Try again later' }),
      });
      const error = await failure(channel.send({ to: 'ops@acme.test', ...message }, { retry: false }));
      expect(error).toMatchObject({ code: 'transient', retryable: true, attempts: 1, responseCode: 421 });
      expect(server.transactions()).toBe(1);
      expect(sleeps).toEqual([]);
    });

    it('resolves with the deferred recipients next to the refused ones, and does not retry them', async () => {
      const { server, channel, sleeps } = await setup({
        rcpt: (address) =>
          address.startsWith('gone')
            ? { code: 550, message: `5.1.1 <${address}>: mailbox unavailable` }
            : greylist(address),
      });
      const receipt = await channel.send(
        {
          to: ['ops@acme.test', 'slow@acme.test'],
          cc: 'gone@acme.test',
          bcc: 'Slow.Too@acme.test',
          ...message,
        },
        { retry: false },
      );
      expect(receipt).toMatchObject({ attempts: 1, refused: ['g…@acme.test'] });
      expect(receipt.deferred).toEqual([
        { digest: recipientDigest('slow@acme.test'), display: 's…@acme.test', responseCode: 451 },
        { digest: recipientDigest('slow.too@acme.test'), display: 'S…@acme.test', responseCode: 451 },
      ]);
      expect(JSON.stringify(receipt)).not.toMatch(/slow|gone/i);
      expect(server.transactions()).toBe(1);
      expect(server.received.map((m) => m.envelope.to)).toEqual([['ops@acme.test']]);
      expect(sleeps).toEqual([]);
    });

    it('resolves when the others were all refused, since a retry could not reach them either', async () => {
      const { server, channel } = await setup({
        rcpt: (address) => (address.startsWith('gone') ? { code: 550 } : greylist(address)),
      });
      const receipt = await channel.send(
        { to: ['gone@acme.test', 'slow@acme.test'], ...message },
        { retry: false },
      );
      expect(receipt).toMatchObject({ attempts: 1, refused: ['g…@acme.test'] });
      expect(receipt.deferred?.map((d) => d.digest)).toEqual([recipientDigest('slow@acme.test')]);
      expect(server.received).toHaveLength(0);
    });

    it('throws the retryable error when every recipient was deferred', async () => {
      const { server, channel } = await setup({ rcpt: greylist });
      const error = await failure(
        channel.send({ to: ['slow@acme.test', 'slow2@acme.test'], ...message }, { retry: false }),
      );
      expect(error).toMatchObject({ code: 'transient', retryable: true, attempts: 1, responseCode: 451 });
      expect(error.message).toContain('deferred or refused all 2 recipients (SMTP 451)');
      expect(server.transactions()).toBe(1);
    });

    it('lists the recipients of a later transaction that failed for now as deferred, not refused', async () => {
      const asked: string[] = [];
      const { server, channel } = await setup(
        {
          fault: (n) => (n === 1 ? { at: 'mail', code: 421 } : undefined),
          rcpt: (address) => void asked.push(address),
        },
        { maxRecipientsPerTransaction: 2 },
      );
      const to = ['r0@acme.test', 'r1@acme.test', 'r2@acme.test', 'r3@acme.test', 'r4@acme.test'];
      const receipt = await channel.send({ to, ...message }, { retry: false });
      expect(receipt.refused).toBeUndefined();
      // The second transaction met a 421; the third would meet the same server and is not tried.
      expect(receipt.deferred).toEqual(
        to.slice(2).map((a) => ({ digest: recipientDigest(a), display: 'r…@acme.test', responseCode: 421 })),
      );
      expect(server.received.map((m) => m.envelope.to)).toEqual([to.slice(0, 2)]);
      expect(asked).not.toContain('r4@acme.test');
    });

    it('still retries the deferred recipients itself without the option, and never reports them as deferred', async () => {
      const { server, channel, sleeps } = await setup({ rcpt: greylist });
      const receipt = await channel.send({ to: ['ops@acme.test', 'slow@acme.test'], ...message });
      expect(receipt).toMatchObject({ attempts: 3, refused: ['s…@acme.test'] });
      expect(receipt.deferred).toBeUndefined();
      expect(server.transactions()).toBe(3);
      expect(sleeps).toHaveLength(2);
    });
  });

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

    it('delivers the deferred recipients on a later send, with the same Message-ID, and no one twice', async () => {
      const { server, channel } = await setup({ rcpt: greylist });
      const alert = { to: ['ops@acme.test', 'slow@acme.test'], threadKey: 'alr_1', ...message };
      const idempotencyKey = 'org_1:alr_1:alert.created:email:to';
      const first = await channel.send(alert, { retry: false, idempotencyKey });
      server.rcpt = undefined; // the greylisting server now accepts the retry
      const second = await channel.send(alert, {
        retry: false,
        idempotencyKey,
        onlyRecipients: first.deferred!.map((d) => d.digest),
      });
      expect(second).toMatchObject({ attempts: 1, providerId: first.providerId });
      expect(second.deferred).toBeUndefined();
      expect(server.received.map((m) => m.envelope.to)).toEqual([['ops@acme.test'], ['slow@acme.test']]);
      expect(new Set(server.received.map((m) => m.parsed.messageId))).toEqual(new Set([first.providerId]));
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
