import { createEmailChannel } from '@pytake/notify-email';
import { renderAlertEmail } from '@pytake/notify-templates';
import { fixtures } from '@pytake/notify-templates/fixtures';
import { createTransport } from 'nodemailer';
import { atLeast, interleave, median, type Row, rate } from '../harness.js';
import { startSmtpSink } from '../servers/smtp-sink.js';

const PER_ROUND = 200;
const CONCURRENCY = 5;

/**
 * Rounds of 400 messages to a loopback smtp-server, interleaved.
 * Ours: `createEmailChannel` (pooled by default) and `sendBatch`. Raw: nodemailer's pooled transport
 * with the same pool size, driven by the same number of workers.
 * smtp-server waits a fixed 100 ms before each greeting; both sides open the same number of pooled
 * connections (5, replaced every 100 messages), so it costs both alike.
 */
export const smtpDeliveryRow: Row = {
  name: 'smtp',
  what: `SMTP delivery, rounds of ${PER_ROUND} to a loopback smtp-server: createEmailChannel sendBatch vs nodemailer's pooled transport, same pool`,
  ceilingMs: 15_000,
  async run(b) {
    const sink = await startSmtpSink();
    const content = await renderAlertEmail(fixtures['created-critical']);
    const message = { ...content, to: ['ops@example.com'], cc: ['lead@example.com'] };

    const channel = createEmailChannel({ host: '127.0.0.1', port: sink.port, useTls: false });
    const transport = createTransport({
      pool: true,
      host: '127.0.0.1',
      port: sink.port,
      secure: false,
      ignoreTLS: true,
      maxConnections: 5,
      maxMessages: 100,
    });
    const from = { name: 'PyTake', address: 'noreply@pytake.com' };

    const ours = async () => {
      const results = await channel.sendBatch(
        (function* () {
          for (let i = 0; i < PER_ROUND && !b.overdue(); i++) yield message;
        })(),
        { concurrency: CONCURRENCY },
      );
      if (results.some((r) => !r.ok)) throw new Error('ours: a message failed');
      return results.length;
    };
    const raw = async () => {
      let next = 0;
      let sent = 0;
      const worker = async () => {
        while (next++ < PER_ROUND && !b.overdue()) {
          sent++;
          await transport.sendMail({
            from,
            to: message.to,
            cc: message.cc,
            subject: message.subject,
            html: message.html,
            text: message.text,
          });
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      return sent;
    };

    try {
      const s = await interleave(ours, raw, { warmup: 0, pairs: 3, minPairs: 1 }, b);
      const o = median(s.oursRate);
      const r = median(s.rawRate);
      return [
        {
          name: 'SMTP delivery, pooled',
          ours: rate(o, 'msg'),
          raw: rate(r, 'msg'),
          ratio: o / r,
          ratioOf: 'ours/raw throughput',
          ...atLeast(o / r, 0.9),
          data: { oursRate: o, rawRate: r, rounds: s.ours.length },
        },
      ];
    } finally {
      channel.close();
      transport.close();
      await sink.close();
    }
  },
};
