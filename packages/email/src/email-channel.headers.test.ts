import {
  createNotifier,
  createStaticDirectory,
  tenantConfigSchema,
  ValidationError,
} from '@pytake/notify-core';
import { afterEach, describe, expect, it } from 'vitest';
import { createEmailChannel, type EmailChannel } from './email-channel.js';
import type { EmailMessage } from './email-message.js';
import { startTestServer, type TestServer } from './testing/smtp-test-server.js';

let server: TestServer | undefined;
let channel: EmailChannel | undefined;
afterEach(async () => {
  channel?.close();
  await server?.close();
  channel = undefined;
  server = undefined;
});

async function setup(options: Parameters<typeof createEmailChannel>[1] = {}) {
  server = await startTestServer();
  channel = createEmailChannel(
    {
      host: '127.0.0.1',
      port: server.port,
      useTls: false,
      fromEmail: 'alerts@pytake.test',
      timeoutSeconds: 60,
    },
    options,
  );
  return { server, channel };
}

const base: EmailMessage = { to: 'ops@acme.test', subject: 'Disk full', html: '<p>x</p>' };
const unsubscribe = 'https://app.pytake.test/settings/notifications/unsubscribe?org=org_acme&t=abc123';

/** Header lines of the raw message, unfolded, by lower-case name. */
function rawHeaders(raw: string): Map<string, string[]> {
  const head = raw.slice(0, raw.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  const out = new Map<string, string[]>();
  for (const line of head.split('\r\n')) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).toLowerCase();
    out.set(name, [...(out.get(name) ?? []), line.slice(colon + 1).trim()]);
  }
  return out;
}

describe('headers servers and clients read', () => {
  it('marks every message as automatic mail (RFC 3834 and Exchange), once each', async () => {
    const { server, channel } = await setup({ maxRecipientsPerTransaction: 1 });
    await channel.send({ ...base, to: ['a@acme.test', 'b@acme.test'] });
    await channel.send({ ...base, headers: { 'X-PyTake-Alert': 'alrt_1' }, threadKey: 'alrt_1' });
    expect(server.received).toHaveLength(3);
    for (const mail of server.received) {
      const headers = rawHeaders(mail.raw);
      expect(headers.get('auto-submitted')).toEqual(['auto-generated']);
      expect(headers.get('x-auto-response-suppress')).toEqual(['All']);
      expect(headers.has('list-unsubscribe')).toBe(false);
      expect(headers.has('list-unsubscribe-post')).toBe(false);
    }
    expect(rawHeaders(server.received[2]!.raw).get('x-pytake-alert')).toEqual(['alrt_1']);
  });

  it('refuses Auto-Submitted, X-Auto-Response-Suppress and List-Unsubscribe-Post as custom headers', async () => {
    const { server, channel } = await setup();
    for (const name of ['Auto-Submitted', 'x-auto-response-suppress', 'List-Unsubscribe-Post']) {
      await expect(channel.send({ ...base, headers: { [name]: 'no' } })).rejects.toThrow(
        `${name} is set by the channel and cannot be overridden`,
      );
    }
    expect(server.received).toHaveLength(0);
  });

  it('sends List-Unsubscribe and the one-click List-Unsubscribe-Post (RFC 8058), the URL on one line', async () => {
    const { server, channel } = await setup();
    const long = `${unsubscribe}&pad=${'x'.repeat(700)}`;
    await channel.send({ ...base, listUnsubscribe: unsubscribe });
    await channel.send({ ...base, listUnsubscribe: long });
    const [short, longer] = server.received.map((m) => m.raw);
    expect(rawHeaders(short!).get('list-unsubscribe')).toEqual([`<${unsubscribe}>`]);
    expect(rawHeaders(short!).get('list-unsubscribe-post')).toEqual(['List-Unsubscribe=One-Click']);
    // Not folded inside the URL: the raw line itself carries it whole.
    expect(longer!.split('\r\n')).toContain(`List-Unsubscribe: <${long}>`);
  });

  it('refuses a List-Unsubscribe URL that is not https or would break the header', async () => {
    const { server, channel } = await setup();
    for (const listUnsubscribe of [
      'http://app.pytake.test/unsubscribe',
      'mailto:unsubscribe@pytake.test',
      'https://app.pytake.test/u\r\nBcc: victim@evil.test',
      'https://app.pytake.test/u>, <https://evil.test/',
      'https://app.pytake.test/a b',
      'https://app.pytake.test/u\r\n',
      ' https://app.pytake.test/u',
      `https://app.pytake.test/${'x'.repeat(900)}`,
    ]) {
      const error = await channel.send({ ...base, listUnsubscribe }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect((error as ValidationError).issues.map((i) => i.path)).toEqual(['listUnsubscribe']);
    }
    // A custom List-Unsubscribe (mailto:) is still allowed alone, but not next to listUnsubscribe.
    await expect(
      channel.send({
        ...base,
        listUnsubscribe: unsubscribe,
        headers: { 'List-Unsubscribe': '<mailto:u@x.test>' },
      }),
    ).rejects.toThrow('cannot be given together with listUnsubscribe');
    expect(server.received).toHaveLength(0);
    await channel.send({ ...base, headers: { 'List-Unsubscribe': '<mailto:u@pytake.test>' } });
    expect(rawHeaders(server.received[0]!.raw).get('list-unsubscribe')).toEqual(['<mailto:u@pytake.test>']);
    expect(rawHeaders(server.received[0]!.raw).has('list-unsubscribe-post')).toBe(false);
  });

  it("carries a tenant's email.unsubscribeUrl through the notifier", async () => {
    const { server, channel } = await setup();
    const notifier = createNotifier({
      directory: createStaticDirectory([
        { organizationId: 'org_acme', email: { to: ['ops@acme.test'], unsubscribeUrl: unsubscribe } },
        { organizationId: 'org_other', email: { to: ['ops@other.test'] } },
      ]),
      routes: { email: { channel, render: (event) => ({ subject: event.type, html: '<p>x</p>' }) } },
    });
    const alert = {
      id: 'alrt_9',
      title: 'Queue backlog',
      severity: 'high',
      category: 'system',
      createdAt: '2026-01-05T10:00:00Z',
    } as const;
    for (const organizationId of ['org_acme', 'org_other']) {
      await notifier.notify({
        type: 'alert.created',
        alert: { ...alert, organizationId },
        occurredAt: '2026-01-05T10:00:00Z',
      });
    }
    const [acme, other] = server.received.map((m) => rawHeaders(m.raw));
    expect(acme!.get('list-unsubscribe')).toEqual([`<${unsubscribe}>`]);
    expect(acme!.get('list-unsubscribe-post')).toEqual(['List-Unsubscribe=One-Click']);
    expect(other!.has('list-unsubscribe')).toBe(false);
  });

  it('validates email.unsubscribeUrl in the tenant schema: https only, no CR/LF or brackets', () => {
    const tenant = (unsubscribeUrl: string) =>
      tenantConfigSchema.safeParse({ organizationId: 'o', email: { to: ['ops@acme.test'], unsubscribeUrl } });
    expect(tenant(unsubscribe).success).toBe(true);
    // zod trims a URL: a trailing newline (a value pasted from a file) never reaches a header.
    expect(tenant(`${unsubscribe}\n`).data?.email?.unsubscribeUrl).toBe(unsubscribe);
    for (const bad of [
      'http://app.pytake.test/u',
      'javascript:alert(1)',
      '/settings',
      'https://app.pytake.test/u\r\nBcc: x@evil.test',
      'https://app.pytake.test/u>',
    ]) {
      const result = tenant(bad);
      expect(result.success, bad).toBe(false);
      expect(result.error?.issues.map((i) => i.path.join('.'))).toEqual(['email.unsubscribeUrl']);
    }
  });
});
