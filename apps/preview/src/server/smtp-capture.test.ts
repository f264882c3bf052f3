import { createEmailChannel, loadSmtpConfig } from '@pytake/notify-email';
import { afterEach, describe, expect, it } from 'vitest';
import type { CapturedEmail } from './outbox.js';
import { type SmtpCapture, startSmtpCapture } from './smtp-capture.js';

let capture: SmtpCapture | undefined;
afterEach(() => capture?.close());

describe('startSmtpCapture', () => {
  describe('onMessage()', () => {
    it('hands over what the email channel sent, parsed', async () => {
      const received: CapturedEmail[] = [];
      capture = await startSmtpCapture({ host: '127.0.0.1', port: 0, onMessage: (m) => received.push(m) });
      const channel = createEmailChannel(
        loadSmtpConfig({ SMTP_HOST: '127.0.0.1', SMTP_PORT: String(capture.port), SMTP_USE_TLS: 'false' }),
        { pool: false },
      );
      try {
        await channel.send({
          to: [{ email: 'ana@acme.com', name: 'Ana' }],
          cc: ['ops@acme.com'],
          bcc: ['audit@acme.com'],
          subject: '🚨 Alerta: Conexão recusada',
          html: '<p>Olá <b>equipe</b></p>',
          text: 'Olá equipe',
          threadKey: 'alrt_1',
        });
      } finally {
        channel.close();
      }
      expect(received).toHaveLength(1);
      const [email] = received;
      expect(email).toMatchObject({
        kind: 'email',
        subject: '🚨 Alerta: Conexão recusada',
        to: '"Ana" <ana@acme.com>',
        cc: 'ops@acme.com',
        text: 'Olá equipe',
        html: expect.stringContaining('<b>equipe</b>'),
        messageId: expect.stringMatching(/^<.+>$/),
      });
      // Bcc travels in the envelope only, never in a header.
      expect(email?.envelope.to.sort()).toEqual(['ana@acme.com', 'audit@acme.com', 'ops@acme.com']);
    });
  });

  describe('close()', () => {
    it('frees the port', async () => {
      const first = await startSmtpCapture({ host: '127.0.0.1', port: 0, onMessage: () => {} });
      const { port } = first;
      await first.close();
      capture = await startSmtpCapture({ host: '127.0.0.1', port, onMessage: () => {} });
      expect(capture.port).toBe(port);
    });
  });
});
