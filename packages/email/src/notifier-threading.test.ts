import { createNotifier, createStaticDirectory } from '@pytake/notify-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmailChannel, type EmailChannel } from './email-channel.js';
import { startTestServer, type TestServer } from './testing/smtp-test-server.js';
import { threadMessageId } from './threading.js';

let server: TestServer | undefined;
let channel: EmailChannel | undefined;
afterEach(async () => {
  channel?.close();
  await server?.close();
});

const alert = {
  id: 'alrt_7',
  organizationId: 'org_acme',
  title: 'Queue backlog above 10k',
  severity: 'high',
  category: 'system',
  createdAt: '2026-01-05T10:00:00Z',
} as const;

describe('createEmailChannel with the core notifier', () => {
  it('threads the created, escalated and resolved emails of one alert as one conversation', async () => {
    server = await startTestServer();
    channel = createEmailChannel({
      host: '127.0.0.1',
      port: server.port,
      useTls: false,
      fromEmail: 'alerts@pytake.test',
    });
    const notifier = createNotifier({
      directory: createStaticDirectory([{ organizationId: 'org_acme', email: { to: ['ops@acme.test'] } }]),
      routes: {
        email: { channel, render: (event) => ({ subject: event.type, html: `<p>${event.type}</p>` }) },
      },
    });

    await notifier.notify({ type: 'alert.created', alert, occurredAt: '2026-01-05T10:00:00Z' });
    await notifier.notify({
      type: 'alert.escalated',
      alert,
      occurredAt: '2026-01-05T11:00:00Z',
      fromLevel: 1,
      toLevel: 2,
    });
    await notifier.notify({ type: 'alert.resolved', alert, occurredAt: '2026-01-05T12:00:00Z' });

    const root = threadMessageId('alrt_7', 'alerts@pytake.test');
    const [created, escalated, resolved] = server.received.map((m) => m.parsed);
    expect(created?.subject).toBe('alert.created');
    expect(created?.messageId).not.toBe(root);
    expect(created?.references).toBe(root);
    for (const reply of [escalated, resolved]) {
      expect(reply?.messageId).not.toBe(root);
      expect(reply?.inReplyTo).toBe(root);
      expect(reply?.references).toBe(root);
    }
    const ids = [created, escalated, resolved].map((m) => m?.messageId);
    expect(new Set(ids).size).toBe(3);
  });

  it('gives a re-created alert a second created email with its own Message-ID, in the same thread', async () => {
    server = await startTestServer();
    channel = createEmailChannel({
      host: '127.0.0.1',
      port: server.port,
      useTls: false,
      fromEmail: 'alerts@pytake.test',
    });
    const notifier = createNotifier({
      directory: createStaticDirectory([{ organizationId: 'org_acme', email: { to: ['ops@acme.test'] } }]),
      routes: {
        email: { channel, render: (event) => ({ subject: event.type, html: `<p>${event.type}</p>` }) },
      },
    });
    await notifier.notify({ type: 'alert.created', alert, occurredAt: '2026-01-05T10:00:00Z' });
    // The alert resolved and came back: same alert id, a new "created" notification.
    const again = { ...alert, createdAt: '2026-01-06T09:00:00Z' };
    await notifier.notify({ type: 'alert.created', alert: again, occurredAt: '2026-01-06T09:00:00Z' });
    // A redelivery of the first notification (same event, so the same idempotency key) by another
    // process, whose idempotency store has not seen it: it keeps its Message-ID, for receivers to drop.
    const elsewhere = createNotifier({
      directory: createStaticDirectory([{ organizationId: 'org_acme', email: { to: ['ops@acme.test'] } }]),
      routes: {
        email: { channel, render: (event) => ({ subject: event.type, html: `<p>${event.type}</p>` }) },
      },
    });
    await elsewhere.notify({ type: 'alert.created', alert, occurredAt: '2026-01-05T10:00:00Z' });
    expect(server.received).toHaveLength(3);
    const [first, second, redelivered] = server.received.map((m) => m.parsed);
    expect(second!.messageId).not.toBe(first!.messageId);
    expect(redelivered!.messageId).toBe(first!.messageId);
    expect(second!.references).toBe(first!.references);
    expect(first!.references).toBe(threadMessageId('alrt_7', 'alerts@pytake.test'));
  });
});
