// Property tests over tenant configs: parseTenantConfig (outside data: a database row), the promise
// that whatever it accepts every template and channel can send, and notify() with bad directory rows.
import {
  createNotifier,
  DELIVERY_STATUSES,
  isNotifyError,
  parseAlertEvent,
  parseTenantConfig,
  type TenantConfig,
} from '@pytake/notify-core';
import { createEmailChannel, validateEmailMessage } from '@pytake/notify-email';
import { createSlackWebhookChannel } from '@pytake/notify-slack';
import { renderEmailForTenant, renderSlackForTenant } from '@pytake/notify-templates';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { attackerText, emailAddress, junk, setPath, webUrl } from './testing/arbitraries.js';
import { checkAsyncProperty, checkProperty, generatedInputs, typedOnly } from './testing/property.js';

const WEBHOOK_SECRET = 'T0SECRET/B0SECRET/xoxSecretWebhookToken42';
const recipient = fc.oneof(
  emailAddress,
  fc.record({ email: emailAddress, name: fc.option(attackerText, { nil: undefined }) }),
);
const webhook = fc.record({
  url: fc.oneof(
    fc.constant(`https://hooks.slack.com/services/${WEBHOOK_SECRET}`),
    webUrl,
    fc.constantFrom(
      `hooks.slack.com/services/${WEBHOOK_SECRET}`,
      `ftp://hooks.slack.com/services/${WEBHOOK_SECRET}`,
    ),
  ),
  name: fc.option(attackerText, { nil: undefined }),
  minSeverity: fc.option(fc.constantFrom('critical', 'high', 'medium', 'low'), { nil: undefined }),
});
const mentionId = fc.oneof(
  fc.stringMatching(/^[UWS][A-Z0-9]{2,10}$/),
  fc.constantFrom('oncall-team', 'C024BE91L', 'U', 'u024be7lh', '<!channel>', 'U12 3'),
  attackerText,
);

/** Tenant configs as a database row might hold them: mostly plausible, with attacker text. */
const tenantRow = fc.record(
  {
    organizationId: fc.constantFrom('org_acme'),
    organizationName: fc.option(attackerText, { nil: undefined }),
    locale: fc.option(fc.constantFrom('en', 'pt-BR', 'fr', ''), { nil: undefined }),
    timeZone: fc.option(fc.constantFrom('UTC', 'America/Sao_Paulo', 'Mars/Olympus', 'utc', 'Etc/GMT+5'), {
      nil: undefined,
    }),
    dashboardUrl: fc.option(
      fc.oneof(webUrl, fc.constantFrom('javascript:alert(1)', 'https://app.example/"><script>')),
      { nil: undefined },
    ),
    email: fc.option(
      fc.record(
        {
          enabled: fc.boolean(),
          to: fc.array(recipient, { minLength: 1, maxLength: 3 }),
          cc: fc.array(recipient, { maxLength: 2 }),
          bcc: fc.array(recipient, { maxLength: 2 }),
          replyTo: recipient,
        },
        { requiredKeys: ['to'] },
      ),
      { nil: undefined },
    ),
    slack: fc.option(
      fc.record(
        {
          webhooks: fc.array(webhook, { minLength: 1, maxLength: 2 }),
          mentionOnEscalation: fc.oneof(fc.boolean(), fc.array(mentionId, { minLength: 1, maxLength: 3 })),
          threadReplies: fc.boolean(),
        },
        { requiredKeys: ['webhooks'] },
      ),
      { nil: undefined },
    ),
  },
  { requiredKeys: ['organizationId'] },
);
const TENANT_PATHS = [
  'email',
  'email.to',
  'email.cc',
  'slack',
  'slack.webhooks',
  'slack.mentionOnEscalation',
  'locale',
];
const tenantInput = fc.oneof(
  { weight: 5, arbitrary: tenantRow as fc.Arbitrary<unknown> },
  {
    weight: 3,
    arbitrary: fc
      .tuple(tenantRow, fc.constantFrom(...TENANT_PATHS), junk)
      .map(([row, path, value]) => setPath(row, path, value)),
  },
  {
    // A webhook URL where the schema expects something else (a string instead of an object, say):
    // the error must still not quote it.
    weight: 1,
    arbitrary: fc
      .tuple(tenantRow, fc.constantFrom('slack', 'slack.webhooks', 'slack.webhooks.0'))
      .map(([row, path]) => setPath(row, path, `https://hooks.slack.com/services/${WEBHOOK_SECRET}`)),
  },
  { weight: 1, arbitrary: junk },
);

const escalation = parseAlertEvent({
  type: 'alert.escalated',
  occurredAt: '2026-01-31T14:45:00Z',
  fromLevel: 1,
  toLevel: 2,
  alert: {
    id: 'alr_7',
    organizationId: 'org_acme',
    title: 'Disk almost full',
    severity: 'high',
    category: 'system',
    createdAt: '2026-01-31T14:30:00Z',
  },
});

afterAll(() => console.log(`tenant: ${generatedInputs()} generated inputs in all`));

describe('parseTenantConfig', () => {
  it('throws only typed errors (ConfigError), and never quotes a webhook URL', () => {
    checkProperty(
      'parseTenantConfig: typed errors only, secret-free',
      tenantInput,
      (input) => {
        try {
          parseTenantConfig(input);
        } catch (error) {
          if (!isNotifyError(error)) throw new Error(`threw a raw ${String(error)}`, { cause: error });
          const said = JSON.stringify({
            message: error.message,
            issues: (error as { issues?: unknown }).issues,
          });
          expect(said).not.toContain('xoxSecretWebhookToken42');
        }
      },
      { numRuns: 3_000 },
    );
  });

  it('accepts only what the templates and the email channel can send', () => {
    checkProperty(
      'parseTenantConfig: accepted means sendable',
      tenantRow,
      (input) => {
        let tenant: TenantConfig;
        try {
          tenant = parseTenantConfig(input);
        } catch {
          return;
        }
        // Throws ConfigError today for a mention id the schema let through.
        renderSlackForTenant(escalation, tenant);
        if (tenant.email) {
          validateEmailMessage({
            to: tenant.email.to,
            cc: tenant.email.cc,
            bcc: tenant.email.bcc,
            replyTo: tenant.email.replyTo,
            subject: 'Disk almost full',
            html: '<p>Disk almost full</p>',
          });
        }
      },
      { numRuns: 2_000 },
    );
  });

  it('accepts only what the email template can render (the email side)', async () => {
    await checkAsyncProperty(
      'parseTenantConfig: accepted means renderable as email',
      tenantRow,
      async (input) => {
        let tenant: TenantConfig;
        try {
          tenant = parseTenantConfig(input);
        } catch {
          return;
        }
        await renderEmailForTenant(escalation, tenant);
      },
      { numRuns: 200, endOnFailure: true },
    );
  });
});

describe('notify() with a directory row it did not expect', () => {
  // The channels are real but switched off: nothing is sent, yet the row is read all the way.
  const routes = {
    email: { channel: createEmailChannel({ enabled: false }), render: renderEmailForTenant },
    slack: { channel: createSlackWebhookChannel({ enabled: false }), render: renderSlackForTenant },
  };
  it('never rejects, and a row that is not a valid config gives failed records with code config', async () => {
    await checkAsyncProperty(
      'notify: bad directory rows',
      tenantInput,
      async (row) => {
        const notifier = createNotifier({
          directory: { get: async () => row as TenantConfig },
          routes,
          idempotency: false,
        });
        const report = await notifier.notify(escalation);
        for (const record of report.records) expect(DELIVERY_STATUSES).toContain(record.status);
        const valid = typedOnly(() => parseTenantConfig(row), isNotifyError).ok;
        // `undefined` and `null` (what a database answers for a missing row) are "no such
        // organization"; anything else that is not a valid config is a bad row.
        if (!valid && row !== undefined && row !== null) {
          expect(report.records.length).toBeGreaterThan(0);
          for (const record of report.records) {
            expect(record.status).toBe('failed');
            expect(record.error?.code).toBe('config');
          }
        }
      },
      { numRuns: 2_000 },
    );
  });
});
