import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SmtpConfigInput } from './config.js';
import { createEmailChannel, type EmailChannel } from './email-channel.js';
import { makeSelfSignedCert, startTestServer, type TestServer } from './testing/smtp-test-server.js';

const noSleep = async () => {};
const message = { to: 'ops@acme.test', subject: 'TLS', html: '<p>TLS</p>' };
let cert: { key: string; cert: string };
let server: TestServer | undefined;
let channel: EmailChannel | undefined;

beforeAll(() => {
  cert = makeSelfSignedCert();
});

afterEach(async () => {
  channel?.close();
  await server?.close();
  channel = undefined;
  server = undefined;
});

function connect(config: SmtpConfigInput) {
  channel = createEmailChannel(
    { host: '127.0.0.1', port: server!.port, timeoutSeconds: 60, ...config },
    { retry: { sleep: noSleep } },
  );
  return channel;
}

describe('createEmailChannel', () => {
  describe('send() over implicit TLS (SMTP_USE_SSL)', () => {
    it('speaks TLS from the first byte', async () => {
      server = await startTestServer({ tls: cert, secure: true });
      const receipt = await connect({ useSsl: true, useTls: false, tlsRejectUnauthorized: false }).send(
        message,
      );
      expect(receipt.attempts).toBe(1);
      expect(server.received[0]).toMatchObject({ secure: true });
    });

    it('rejects a self-signed certificate unless SMTP_TLS_REJECT_UNAUTHORIZED=false', async () => {
      server = await startTestServer({ tls: cert, secure: true });
      const error = await connect({ useSsl: true, useTls: false })
        .send(message)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'config', retryable: false, attempts: 1 });
      expect(server.received).toHaveLength(0);
    });
  });

  describe('send() with STARTTLS (SMTP_USE_TLS)', () => {
    it('upgrades the connection before sending', async () => {
      server = await startTestServer({ tls: cert });
      await connect({ useTls: true, tlsRejectUnauthorized: false }).send(message);
      expect(server.received[0]).toMatchObject({ secure: true });
    });

    it('refuses to send in clear text to a server that does not offer STARTTLS', async () => {
      server = await startTestServer({ tls: cert, noStartTls: true });
      const error = await connect({ useTls: true, tlsRejectUnauthorized: false })
        .send(message)
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'config', retryable: false, attempts: 1 });
      expect(server.received).toHaveLength(0);
    });
  });
});
