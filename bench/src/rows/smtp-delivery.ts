import { createEmailChannel } from '@pytake/notify-email';
import { renderAlertEmail } from '@pytake/notify-templates';
import { fixtures } from '@pytake/notify-templates/fixtures';
import { createTransport } from 'nodemailer';
import { compareThroughput, type Row } from '../harness.js';
import { startSmtpSink } from '../servers/smtp-sink.js';

const TOTAL = 2000;
const ROUNDS = 4;
const PER_ROUND = TOTAL / ROUNDS;
const CONCURRENCY = 5;

/**
 * 2,000 messages to a loopback smtp-server, in 4 interleaved rounds of 500 per side.
 * Ours: `createEmailChannel` (pooled by default) and `sendBatch`. Raw: nodemailer's pooled transport
 * with the same pool size, driven by the same number of workers.
 * smtp-server waits a fixed 100 ms before each greeting; both sides open the same number of pooled
 * connections (5, replaced every 100 messages), so it costs both alike.
 */
export async function smtpDeliveryRow(): Promise<Row> {
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
        for (let i = 0; i < PER_ROUND; i++) yield message;
      })(),
      { concurrency: CONCURRENCY },
    );
    if (results.some((r) => !r.ok)) throw new Error('ours: a message failed');
  };
  const raw = async () => {
    let next = 0;
    const worker = async () => {
      while (next++ < PER_ROUND) {
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
  };

  try {
    return await compareThroughput(`SMTP delivery, ${TOTAL} messages, pooled`, ours, raw, {
      warmup: 1,
      iterations: ROUNDS,
      unitsPerIteration: PER_ROUND,
      minRatio: 0.9,
      maxMs: 120_000,
    });
  } finally {
    channel.close();
    transport.close();
    await sink.close();
  }
}
