import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { isNotifyError } from './errors.js';
import { parseTenantConfig, type Recipient, type TenantConfig } from './tenant.js';

// The rules the channels and templates apply when they send, copied from their sources (core may
// not import them): what parseTenantConfig accepts must pass every one. If one of those files
// changes its rule, change it here and in tenant.ts together.
const channelRules = {
  // packages/email/src/validate-message.ts: `z.email()` addresses, names without CR or LF.
  recipient(r: Recipient): boolean {
    const email = typeof r === 'string' ? r : r.email;
    const name = typeof r === 'string' ? undefined : r.name;
    return z.email().safeParse(email).success && (name === undefined || !/[\r\n]/.test(name));
  },
  // packages/slack/src/mrkdwn/mentions.ts (userMention / groupMention, as render-alert-slack.ts
  // picks them) and packages/templates/src/options.ts (mentionId).
  mention(id: string): boolean {
    const slack = id.startsWith('S') ? /^S[A-Z0-9]{2,}$/.test(id) : /^[UW][A-Z0-9]{2,}$/.test(id);
    return slack && /^[UWS][A-Z0-9]{2,}$/.test(id);
  },
  // packages/slack/src/delivery/check-url.ts, with the URL's host in allowedHosts when it is not
  // hooks.slack.com (the most a channel can allow), plus a port of 443 on Slack hosts.
  webhookUrl(value: string): boolean {
    let parsed: URL;
    try {
      parsed = new URL(String(value));
    } catch {
      return false;
    }
    const host = parsed.hostname.toLowerCase();
    const loopback = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);
    if (parsed.username || parsed.password) return false;
    if (parsed.protocol === 'http:') return loopback.has(host);
    if (parsed.protocol !== 'https:') return false;
    return host !== 'hooks.slack.com' || parsed.port === '';
  },
  // packages/slack/src/api-channel.ts
  channelId: (id: string) => /^[CDGZ][A-Z0-9]{2,}$/.test(id),
  // packages/templates/src/safe-url.ts
  safeUrl(value: string): boolean {
    try {
      const url = new URL(value);
      return url.protocol === 'http:' || url.protocol === 'https:';
    } catch {
      return false;
    }
  },
  // packages/templates/src/format-date.ts (isTimeZone)
  timeZone(tz: string): boolean {
    try {
      new Intl.DateTimeFormat('en', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  },
};

function channelsAccept(config: TenantConfig): boolean {
  const { email, slack } = config;
  const recipients = email ? [...email.to, ...(email.cc ?? []), ...(email.bcc ?? [])] : [];
  if (email?.replyTo) recipients.push(email.replyTo);
  return (
    recipients.every(channelRules.recipient) &&
    (email === undefined || recipients.length > 0) &&
    channelRules.timeZone(config.timeZone) &&
    (config.dashboardUrl === undefined || channelRules.safeUrl(config.dashboardUrl)) &&
    (slack?.webhooks ?? []).every((w) => channelRules.webhookUrl(w.url)) &&
    (slack?.channels ?? []).every((c) => channelRules.channelId(c.id)) &&
    (Array.isArray(slack?.mentionOnEscalation) ? slack.mentionOnEscalation.every(channelRules.mention) : true)
  );
}

// Mostly valid values, so that whole configs are often accepted, with bad ones and arbitrary text.
const tricky = (good: string[], bad: string[]) =>
  fc.oneof(
    { weight: 10, arbitrary: fc.constantFrom(...good) },
    { weight: 3, arbitrary: fc.constantFrom(...bad) },
    { weight: 1, arbitrary: fc.string() },
  );
const address = tricky(
  [
    'ops@acme.com',
    'o.p-s+tag@sub.acme.co',
    'cto@acme.com',
    '"quoted"@acme.com',
    'ops@[127.0.0.1]',
    'üser@acme.com',
  ],
  ['ops@acme', 'ops@@acme.com', 'a b@acme.com', 'ops@acme.com\r\nBcc: x@y.z', 'ops@xn--80ak6aa92e.com'],
);
const name = tricky(
  ['Ops', 'CTO', 'Ops Team', 'Ana', 'tab\there', ''],
  ['Ops\r\nBcc: evil@x.com', 'a\nb', 'x\r'],
);
const recipient = fc.oneof(address, fc.record({ email: address, name: fc.option(name, { nil: undefined }) }));
const url = tricky(
  [
    'https://hooks.slack.com/services/T0/B0/secret',
    'https://hooks.slack.com:443/services/T0/B0/secret',
    'https://HOOKS.SLACK.COM/services/x',
    'http://127.0.0.1:8080/hooks/x',
    'http://localhost/x',
    'http://[::1]:9/x',
    'https://example.com/hook',
    ' https://hooks.slack.com/x ',
    'https://hooks.slack.com/a\tb',
  ],
  [
    'https://hooks.slack.com:8443/services/T0/B0/secret',
    'http://hooks.slack.com/services/x',
    'http://10.0.0.1/x',
    'https://user:pw@hooks.slack.com/x',
    'ftp://hooks.slack.com/x',
    'javascript:alert(1)',
    `https://hooks.slack.com/${'x'.repeat(600)}`,
  ],
);
const mention = tricky(
  ['U024BE7LH', 'W0ABC', 'SAZ94GDB8', 'S12'],
  ['S1', 'oncall-team', 'u024be7lh', '<!channel>', 'C024BE91L', 'UA', 'U-1'],
);
const channelId = tricky(['C024BE91L', 'G0AB', 'Z12', 'D0A'], ['D0', 'general', 'c024be91l', '#alerts']);
const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined, freq: 2 });

const config = fc.record(
  {
    organizationId: tricky(['org_acme', 'acme:eu'], ['']),
    organizationName: optional(tricky(['Acme', 'A\nB'], ['\u0000'])),
    locale: optional(fc.constantFrom('en', 'pt-BR', 'fr')),
    // Only known names and a few bad ones: every unknown name costs Intl about a millisecond.
    timeZone: optional(fc.constantFrom('UTC', 'America/Sao_Paulo', 'Etc/GMT+3', 'Mars/Olympus', 'utc')),
    dashboardUrl: optional(
      tricky(
        ['https://app.pytake.net', 'http://localhost:3000/a'],
        ['http:app', '/alerts', 'javascript:x', 'https://a.b/x y'],
      ),
    ),
    email: optional(
      fc.record(
        {
          to: fc.array(recipient, { maxLength: 3 }),
          cc: optional(fc.array(recipient, { maxLength: 2 })),
          bcc: optional(fc.array(recipient, { maxLength: 2 })),
          replyTo: optional(recipient),
        },
        { requiredKeys: ['to'] },
      ),
    ),
    slack: optional(
      fc.record(
        {
          webhooks: optional(fc.array(fc.record({ url, name: optional(name) }), { maxLength: 2 })),
          channels: optional(fc.array(fc.record({ id: channelId, name: optional(name) }), { maxLength: 2 })),
          mentionOnEscalation: optional(fc.oneof(fc.boolean(), fc.array(mention, { maxLength: 3 }))),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: ['organizationId'] },
);

describe('parseTenantConfig() and the channels', () => {
  it('accepts only configs that every channel and template can send', () => {
    let accepted = 0;
    fc.assert(
      fc.property(config, (input) => {
        let parsed: TenantConfig;
        try {
          parsed = parseTenantConfig(input);
        } catch (error) {
          expect(isNotifyError(error) && error.code === 'config').toBe(true);
          return;
        }
        accepted++;
        expect(channelsAccept(parsed)).toBe(true);
      }),
      { numRuns: 2000 },
    );
    // The generator must reach the accepting side often enough for the property to mean something.
    expect(accepted).toBeGreaterThan(200);
  }, 120_000); // about 2,000 zod parses, most of them failing: seconds on a busy machine
});
