import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { type EventOfText, parseEventText } from './event-text.js';

/** A message the SMTP server accepted. */
export interface ReceivedEmail {
  to: string[];
  subject: string;
  /** The event the subject tells of (see event-text.ts). */
  event?: EventOfText;
  /** When the whole message had arrived, just before the server's 250. */
  at: number;
}

/** The Subject header of a raw message, unfolded. */
function subjectOf(raw: string): string {
  const head = raw.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  return /^subject: *(.*)$/im.exec(unfolded)?.[1]?.trim() ?? '';
}

/** A plain SMTP server (smtp-server) on 127.0.0.1 that takes every message and keeps its subject. */
export async function startSmtpReceiver() {
  const received: ReceivedEmail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['AUTH', 'STARTTLS'],
    hideSTARTTLS: true,
    logger: false,
    // A reverse lookup of 127.0.0.1 can take seconds on a busy machine; nothing here needs it.
    disableReverseLookup: true,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        const subject = subjectOf(Buffer.concat(chunks).toString('utf8'));
        received.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          subject,
          event: parseEventText(subject),
          at: Date.now(),
        });
        callback();
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
export type SmtpReceiver = Awaited<ReturnType<typeof startSmtpReceiver>>;
