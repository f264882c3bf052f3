// A real SMTP server (smtp-server) on 127.0.0.1 that faults a seeded share of its transactions the
// ways production servers do: 421 at MAIL FROM, 451 after DATA, the connection closed mid-DATA, and
// the connection closed after the whole message arrived (accepted, but the client never hears so).
import type { Socket } from 'node:net';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';
import { pickFault, seededUnit } from './seeded.js';

export type SmtpFault = 'mail-421' | 'data-451' | 'close-mid-data' | 'close-after-data';

/** Shares of all transactions; the DATA faults apply to those that got past MAIL FROM. */
export const smtpFaultShares = {
  mail: [['mail-421', 0.05]] as const,
  data: [
    ['data-451', 0.05],
    ['close-mid-data', 0.05],
    ['close-after-data', 0.05],
  ] as const,
};

export interface ReceivedEmail {
  id: string;
  recipients: string[];
}

export interface FaultySmtpServer {
  port: number;
  /** Every complete message the server took (including those it then "lost" the reply for). */
  received: ReceivedEmail[];
  /** How many transactions hit each fault, and how many there were in all. */
  faults: Record<SmtpFault, number>;
  transactions: () => number;
  close(): Promise<void>;
}

export interface FaultySmtpOptions {
  seed: number;
  user: string;
  password: string;
  /** Finds the notification id in the raw message. */
  idPattern: RegExp;
}

const smtpError = (code: number, message: string) =>
  Object.assign(new Error(message), { responseCode: code });

export async function startFaultySmtpServer(options: FaultySmtpOptions): Promise<FaultySmtpServer> {
  const received: ReceivedEmail[] = [];
  const faults: Record<SmtpFault, number> = {
    'mail-421': 0,
    'data-451': 0,
    'close-mid-data': 0,
    'close-after-data': 0,
  };
  let transactions = 0;
  // How many times each notification's message reached DATA: the attempt number is part of the key
  // of the fault decision, so a retry gets its own (seeded) chance of failing again.
  const dataAttempts = new Map<string, number>();
  let server: SMTPServer;

  const socketOf = (session: SMTPServerSession): Socket | undefined =>
    [...(server as unknown as { connections: Set<{ id: string; _socket: Socket }> }).connections].find(
      (c) => c.id === session.id,
    )?._socket;

  server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    hideSTARTTLS: true,
    allowInsecureAuth: true,
    authOptional: false,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) {
        return callback(null, { user: auth.username });
      }
      return callback(smtpError(535, 'Invalid username or password'));
    },
    onMailFrom(_address, _session, callback) {
      // The message is not known yet at MAIL FROM, so this decision is keyed by the transaction's
      // number: the fault sequence is fixed by the seed, which message meets it depends on timing.
      const n = transactions++;
      if (pickFault(seededUnit(options.seed, 'mail', n), smtpFaultShares.mail)) {
        faults['mail-421']++;
        return callback(smtpError(421, '4.3.2 Service shutting down, try again later'));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      let fault: SmtpFault | undefined;
      let id: string | undefined;
      let decided = false;
      const recipients = session.envelope.rcptTo.map((r) => r.address);
      // Decided as soon as the id shows (in the headers), so that a drop can come mid-DATA.
      const decide = (text: string): SmtpFault | undefined => {
        const match = options.idPattern.exec(text);
        if (!match) return undefined;
        id = match[0];
        const attempt = (dataAttempts.get(id) ?? 0) + 1;
        dataAttempts.set(id, attempt);
        decided = true;
        return pickFault(seededUnit(options.seed, 'data', id, attempt), smtpFaultShares.data);
      };
      stream.on('data', (chunk: Buffer) => {
        if (fault === 'close-mid-data') return;
        chunks.push(chunk);
        if (decided) return;
        fault = decide(Buffer.concat(chunks).toString('latin1'));
        if (fault === 'close-mid-data') {
          faults['close-mid-data']++;
          socketOf(session)?.destroy();
        }
      });
      stream.on('end', () => {
        if (fault === 'close-mid-data') return;
        if (!decided) fault = decide(Buffer.concat(chunks).toString('latin1'));
        if (fault === 'data-451') {
          faults['data-451']++;
          // Real servers name the mailbox in such replies; the record must not repeat it.
          return callback(smtpError(451, `4.3.0 <${recipients[0]}>: temporary local problem, try again`));
        }
        if (id) received.push({ id, recipients });
        if (fault === 'close-after-data') {
          faults['close-after-data']++;
          // The message is stored; the 250 never reaches the client.
          socketOf(session)?.destroy();
          return;
        }
        callback(null, 'queued');
      });
    },
  });
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.server.address() as { port: number }).port,
    received,
    faults,
    transactions: () => transactions,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of (server as unknown as { connections: Set<{ _socket: Socket }> }).connections)
          c._socket.destroy();
        server.close(() => resolve());
      }),
  };
}
