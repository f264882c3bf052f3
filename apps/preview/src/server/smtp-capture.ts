import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import type { CapturedEmail } from './outbox.js';

export interface SmtpCaptureOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  onMessage(email: CapturedEmail): void;
  /** Largest message accepted, in bytes. @default 10 MiB */
  maxSize?: number;
}

export interface SmtpCapture {
  readonly port: number;
  close(): Promise<void>;
}

const addresses = (value: AddressObject | AddressObject[] | undefined) =>
  value === undefined ? undefined : (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');

/**
 * An SMTP server on loopback that accepts every message and hands it over parsed, so that the
 * preview can show what a mail client would receive without any real mailbox.
 */
export async function startSmtpCapture(options: SmtpCaptureOptions): Promise<SmtpCapture> {
  const maxSize = options.maxSize ?? 10 * 1024 * 1024;
  const server = new SMTPServer({
    // Loopback only and nothing leaves it: no TLS, any (or no) login is accepted.
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    onAuth: (_auth, _session, callback) => callback(null, { user: 'preview' }),
    size: maxSize,
    logger: false,
    banner: 'PyTake Notify preview capture',
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          options.onMessage({
            kind: 'email',
            id: randomUUID(),
            receivedAt: new Date().toISOString(),
            envelope: {
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((r) => r.address),
            },
            from: addresses(mail.from) ?? '',
            to: addresses(mail.to) ?? '',
            cc: addresses(mail.cc),
            replyTo: addresses(mail.replyTo),
            subject: mail.subject ?? '',
            messageId: mail.messageId,
            inReplyTo: mail.inReplyTo,
            references: typeof mail.references === 'string' ? [mail.references] : mail.references,
            text: mail.text,
            html: typeof mail.html === 'string' ? mail.html : undefined,
            size: (stream as { sizeExceeded?: boolean; byteLength?: number }).byteLength ?? 0,
          });
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // A broken client connection must not crash the preview.
  server.on('error', () => {});
  const port = ((server.server as { address(): AddressInfo }).address() as AddressInfo).port;
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
