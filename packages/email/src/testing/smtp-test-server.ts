// A real SMTP server (smtp-server) on 127.0.0.1 with a random port, recording what arrives and
// injecting faults on request. Used by the channel tests; never mocks nodemailer.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ParsedMail, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerOptions, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  envelope: { from: string; to: string[] };
  parsed: ParsedMail;
  raw: string;
  /** The user that logged in, if any. */
  user: string | undefined;
  secure: boolean;
}

/** What to do with the n-th mail transaction (0-based, counted at MAIL FROM). */
export type Fault =
  | { at: 'mail' | 'rcpt' | 'data'; code: number; message?: string }
  /** Closes the connection after part of the message body arrived. */
  | { at: 'data'; drop: true };

export interface TestServerOptions {
  fault?: (transaction: number) => Fault | undefined;
  /** Require this login; other credentials get 535. */
  auth?: { user: string; pass: string };
  /** TLS key and certificate; with `secure` the server speaks TLS from the first byte, otherwise it offers STARTTLS. */
  tls?: { key: string; cert: string };
  secure?: boolean;
  /** Do not offer STARTTLS. */
  noStartTls?: boolean;
  /**
   * Refuses single recipients: called for each RCPT TO with the address, its 0-based position in the
   * transaction, and the transaction number. A refused recipient does not end the transaction.
   */
  rcpt?: (
    address: string,
    position: number,
    transaction: number,
  ) => { code: number; message?: string } | undefined;
  /** The text of the 535 answer to a failed login, e.g. one that echoes the password. */
  authFailure?: (username: string, password: string) => string;
  /**
   * Holds each answer to DATA this long, so that messages overlap at the server and `maxInFlight()`
   * shows how many the client had going at once. Not a speed: any value only makes overlap likelier.
   */
  dataReplyDelayMs?: number;
}

export interface TestServer {
  port: number;
  /** Replaces `options.rcpt` from now on. */
  rcpt: TestServerOptions['rcpt'];
  received: ReceivedMail[];
  /** Every MAIL FROM seen, including failed transactions. */
  transactions: () => number;
  /** The most messages whose body the server was receiving or answering at one time. */
  maxInFlight: () => number;
  close(): Promise<void>;
}

function smtpError(code: number, message: string): Error {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const received: ReceivedMail[] = [];
  let transactions = 0;
  let inFlight = 0;
  let maxInFlight = 0;
  const faultOf = new Map<string, Fault | undefined>();
  const transactionOf = new Map<string, number>();
  const positionOf = new Map<string, number>();
  const api = { rcpt: options.rcpt } as TestServer;
  // Assigned below; the onData handler needs it to find the connection it drops.
  let server: SMTPServer;

  const fail = (session: SMTPServerSession, at: 'mail' | 'rcpt' | 'data') => {
    const fault = faultOf.get(session.id);
    return fault && fault.at === at && 'code' in fault
      ? smtpError(fault.code, fault.message ?? `injected ${fault.code}`)
      : undefined;
  };

  const config: SMTPServerOptions = {
    secure: options.secure ?? false,
    key: options.tls?.key,
    cert: options.tls?.cert,
    disabledCommands: [
      ...(options.auth ? [] : ['AUTH']),
      ...(options.tls && !options.noStartTls ? [] : ['STARTTLS']),
    ],
    hideSTARTTLS: !options.tls || options.noStartTls,
    authOptional: !options.auth,
    allowInsecureAuth: true,
    logger: false,
    // The 100 ms early-talker delay before each greeting is fixed in smtp-server; a reverse DNS lookup
    // of 127.0.0.1 on top of it can take seconds on a busy machine, and tests need neither.
    disableReverseLookup: true,
    onAuth(auth, _session, callback) {
      if (options.auth && auth.username === options.auth.user && auth.password === options.auth.pass) {
        return callback(null, { user: auth.username });
      }
      const text =
        options.authFailure?.(auth.username ?? '', auth.password ?? '') ?? 'Invalid username or password';
      return callback(Object.assign(new Error(text), { responseCode: 535 }));
    },
    onMailFrom(_address, session, callback) {
      positionOf.set(session.id, 0);
      // Counted outside `fault?.()`: optional call arguments are not evaluated without a fault function.
      const transaction = transactions++;
      transactionOf.set(session.id, transaction);
      faultOf.set(session.id, options.fault?.(transaction));
      callback(fail(session, 'mail'));
    },
    onRcptTo(address, session, callback) {
      const injected = fail(session, 'rcpt');
      if (injected) return callback(injected);
      // Every RCPT TO of this transaction counts, refused ones too.
      const position = (positionOf.get(session.id) ?? 0) + 1;
      positionOf.set(session.id, position);
      const refused = api.rcpt?.(address.address, position - 1, transactionOf.get(session.id) ?? 0);
      callback(refused ? smtpError(refused.code, refused.message ?? `injected ${refused.code}`) : undefined);
    },
    onData(stream, session, callback) {
      const fault = faultOf.get(session.id);
      const chunks: Buffer[] = [];
      if (fault && 'drop' in fault) {
        stream.once('data', () => {
          const connection = [
            ...(server as unknown as { connections: Set<{ id: string; _socket: Socket }> }).connections,
          ].find((c) => c.id === session.id);
          connection?._socket.destroy();
        });
        stream.resume();
        return;
      }
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const answer: typeof callback = (...args) => {
        const reply = () => {
          inFlight--;
          callback(...args);
        };
        if (options.dataReplyDelayMs) setTimeout(reply, options.dataReplyDelayMs);
        else reply();
      };
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', async () => {
        const error = fail(session, 'data');
        if (error) return answer(error);
        const raw = Buffer.concat(chunks);
        received.push({
          envelope: {
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
          },
          parsed: await simpleParser(raw),
          raw: raw.toString('utf8'),
          user: session.user as string | undefined,
          secure: session.secure,
        });
        answer(null, 'queued');
      });
    },
  };
  server = new SMTPServer(config);
  server.on('error', () => {});
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  Object.assign(api, {
    port,
    received,
    transactions: () => transactions,
    maxInFlight: () => maxInFlight,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of (server as unknown as { connections: Set<{ _socket: Socket }> }).connections)
          c._socket.destroy();
        server.close(() => resolve());
      }),
  });
  return api;
}

/** A TCP server that accepts connections and never says a word: the SMTP greeting never comes. */
export async function startSilentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  const server: NetServer = createNetServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A self-signed certificate for 127.0.0.1/localhost, made with openssl for this test run only. */
export function makeSelfSignedCert(): { key: string; cert: string } {
  const dir = mkdtempSync(join(tmpdir(), 'notify-email-cert-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=DNS:localhost,IP:127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
