import { inspect } from 'node:util';
import { createNotifier, createStaticDirectory, type DeliveryRecord } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
import { createEmailChannel } from './email-channel.js';
import { smtpFailure as failure, useLocalChannel } from './testing/local-channel.js';
import type { TestServer } from './testing/smtp-test-server.js';

const setup = useLocalChannel();

const addresses = (n: number, prefix = 'r') => Array.from({ length: n }, (_, i) => `${prefix}${i}@acme.test`);

/** How many copies each address received, from the envelopes the server accepted. */
function copies(s: TestServer): Map<string, number> {
  const count = new Map<string, number>();
  for (const mail of s.received) for (const a of mail.envelope.to) count.set(a, (count.get(a) ?? 0) + 1);
  return count;
}

const alert = {
  id: 'alrt_9',
  organizationId: 'org_acme',
  title: 'Replication lag',
  severity: 'critical',
  category: 'system',
  createdAt: '2026-01-05T10:00:00Z',
} as const;

describe('createEmailChannel', () => {
  describe('send() to recipients the server refuses', () => {
    it('delivers 252 recipients once each in transactions of 100 and reports the one refused as partial', async () => {
      const to = addresses(2, 'to');
      const cc = addresses(10, 'cc');
      const bcc = addresses(240);
      const refusedOne = 'r137@acme.test';
      // A server that refuses one mailbox for good and, like most, defers every recipient after the 100th.
      const { server, channel } = await setup({
        rcpt: (address, position) =>
          address === refusedOne
            ? { code: 550, message: `5.1.1 <${address}>: mailbox unavailable` }
            : position >= 100
              ? { code: 452, message: '4.5.3 Too many recipients' }
              : undefined,
      });
      const records: DeliveryRecord[] = [];
      const notifier = createNotifier({
        directory: createStaticDirectory([{ organizationId: 'org_acme', email: { to, cc, bcc } }]),
        routes: { email: { channel, render: () => ({ subject: 'Replication lag', html: '<p>lag</p>' }) } },
        onDelivery: (record) => void records.push(record),
      });

      const report = await notifier.notify({
        type: 'alert.created',
        alert,
        occurredAt: '2026-01-05T10:00:00Z',
      });

      const [record] = report.records;
      expect(record).toMatchObject({ status: 'partial', refused: ['r…@acme.test'], attempts: 1 });
      expect(report.summary.partial).toBe(1);
      expect(records.map((r) => r.status)).toEqual(['partial']);
      expect(server.received).toHaveLength(3);
      expect(server.received.map((m) => m.envelope.to.length)).toEqual([100, 99, 52]);
      const received = copies(server);
      for (const a of [...to, ...cc, ...bcc].filter((a) => a !== refusedOne)) expect(received.get(a)).toBe(1);
      expect(received.has(refusedOne)).toBe(false);
      expect(received.size).toBe(251);
      // The same headers in every copy; Bcc recipients in the envelope only.
      const headersOf = (raw: string) => raw.slice(0, raw.indexOf('\r\n\r\n'));
      const toHeaders = server.received.map((m) => m.parsed.headers.get('to'));
      const ccHeaders = server.received.map((m) => m.parsed.headers.get('cc'));
      expect(new Set(toHeaders.map((h) => JSON.stringify(h))).size).toBe(1);
      expect(new Set(ccHeaders.map((h) => JSON.stringify(h))).size).toBe(1);
      expect(new Set(server.received.map((m) => m.parsed.messageId)).size).toBe(1);
      for (const m of server.received) {
        expect(headersOf(m.raw)).not.toMatch(/^bcc:/im);
        expect(headersOf(m.raw)).not.toContain('r0@acme.test');
      }
      expect(JSON.stringify(records)).not.toContain(refusedOne);
    });

    it('sends a new transaction to just the recipients deferred with 4xx, after the backoff', async () => {
      const to = addresses(100);
      // This server takes only 40 recipients per transaction.
      const { server, channel, sleeps } = await setup({
        rcpt: (_a, position) => (position >= 40 ? { code: 452, message: 'Too many recipients' } : undefined),
      });
      const receipt = await channel.send({ to, subject: 'Lag', html: '<p>lag</p>' });
      expect(receipt).toMatchObject({ attempts: 3 });
      expect(receipt.refused).toBeUndefined();
      expect(server.received.map((m) => m.envelope.to.length)).toEqual([40, 40, 20]);
      expect(sleeps).toEqual([100, 200]);
      const received = copies(server);
      expect([...received.values()].every((n) => n === 1)).toBe(true);
      expect(received.size).toBe(100);
    });

    it('lists a recipient still deferred after the last attempt as refused, and delivers the others once', async () => {
      const { server, channel } = await setup({
        rcpt: (a) =>
          a === 'slow@acme.test' ? { code: 451, message: '4.7.1 Greylisted <slow@acme.test>' } : undefined,
      });
      const receipt = await channel.send({
        to: ['ops@acme.test', 'slow@acme.test'],
        cc: 'lead@acme.test',
        subject: 'Lag',
        html: '<p>lag</p>',
      });
      expect(receipt).toMatchObject({ attempts: 3, refused: ['s…@acme.test'] });
      expect(server.received).toHaveLength(1);
      expect(server.received[0]!.envelope.to.sort()).toEqual(['lead@acme.test', 'ops@acme.test']);
      expect(server.transactions()).toBe(3);
    });

    it('throws a permanent error when every recipient is refused with 5xx, without the addresses', async () => {
      const { server, channel } = await setup({
        rcpt: (a) => ({ code: 550, message: `5.1.1 <${a}>: no such user` }),
      });
      const error = await failure(channel.send({ to: addresses(3), subject: 'Lag', html: '<p>lag</p>' }));
      expect(error).toMatchObject({ code: 'permanent', retryable: false, attempts: 1, responseCode: 550 });
      expect(error.message).toContain(
        'refused all 3 recipients (SMTP 550): 550 5.1.1 <r…@acme.test>: no such user',
      );
      expect(error.message).toContain('r…@acme.test');
      expect(inspect(error, { depth: 10 }) + JSON.stringify(error)).not.toMatch(/r\d@acme\.test/);
      expect(server.received).toHaveLength(0);
      expect(server.transactions()).toBe(1);
    });

    it('throws a retryable error when every recipient stays deferred, and the record is failed', async () => {
      const { server, channel } = await setup({
        rcpt: () => ({ code: 452, message: 'Insufficient storage' }),
      });
      const error = await failure(channel.send({ to: addresses(2), subject: 'Lag', html: '<p>lag</p>' }));
      expect(error).toMatchObject({ code: 'transient', retryable: true, attempts: 3, responseCode: 452 });
      expect(server.transactions()).toBe(3);

      const notifier = createNotifier({
        directory: createStaticDirectory([{ organizationId: 'org_acme', email: { to: addresses(2) } }]),
        routes: { email: { channel, render: () => ({ subject: 'Lag', html: '<p>lag</p>' }) } },
      });
      const report = await notifier.notify({
        type: 'alert.created',
        alert,
        occurredAt: '2026-01-05T10:00:00Z',
      });
      expect(report.records[0]).toMatchObject({ status: 'failed', error: { code: 'transient' } });
      expect(JSON.stringify(report.records[0]?.error)).not.toMatch(/r\d@acme\.test/);
    });

    it('stops at a failed transaction once others went out, and lists who it did not reach', async () => {
      const { server, channel } = await setup(
        { fault: (n) => (n === 1 ? { at: 'mail', code: 554 } : undefined) },
        { maxRecipientsPerTransaction: 2 },
      );
      const receipt = await channel.send({ to: addresses(6), subject: 'Lag', html: '<p>lag</p>' });
      // The second transaction failed as a whole; the third would meet the same server and is not tried.
      expect(receipt.refused).toEqual(['r…@acme.test', 'r…@acme.test', 'r…@acme.test', 'r…@acme.test']);
      expect(server.transactions()).toBe(2);
      expect(server.received.map((m) => m.envelope.to)).toEqual([['r0@acme.test', 'r1@acme.test']]);
    });

    it('splits at maxRecipientsPerTransaction, and refuses a bad value when the channel is created', async () => {
      const { server, channel } = await setup({}, { maxRecipientsPerTransaction: 3 });
      await channel.send({ to: addresses(7), subject: 'Lag', html: '<p>lag</p>' });
      expect(server.received.map((m) => m.envelope.to.length)).toEqual([3, 3, 1]);
      for (const bad of [0, 1.5, Number.NaN, -1]) {
        expect(() => createEmailChannel({ host: '127.0.0.1' }, { maxRecipientsPerTransaction: bad })).toThrow(
          /maxRecipientsPerTransaction/,
        );
      }
    });
  });
});
