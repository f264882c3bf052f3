import {
  type Channel,
  createNotifier,
  createStaticDirectory,
  type EmailDelivery,
  parseTenantConfig,
  type RenderContext,
  type Routes,
  type SlackDelivery,
  type TenantConfigInput,
} from '@pytake/notify-core';
import type { SlackMessage } from '@pytake/notify-slack';
import { describe, expect, it } from 'vitest';
import { digestFixture, fixtures } from './fixtures/index.js';
import {
  renderEmailDigestForTenant,
  renderEmailForTenant,
  renderSlackDigestForTenant,
  renderSlackForTenant,
} from './render-for-tenant.js';

const tenantInput: TenantConfigInput = {
  organizationId: 'org_acme',
  organizationName: 'Acme Logística',
  locale: 'pt-BR',
  timeZone: 'America/Sao_Paulo',
  dashboardUrl: 'https://app.pytake.net/alerts',
  email: { to: ['ops@acme.example'] },
  slack: {
    webhooks: [{ url: 'https://hooks.slack.com/services/T000/B000/secret' }],
    mentionOnEscalation: true,
  },
};
const tenant = parseTenantConfig(tenantInput);

/** A channel that keeps what it is given: the notifier is real, the transport is not the subject here. */
function capture<M>(kind: string): Channel<M> & { sent: M[] } {
  const sent: M[] = [];
  const send = async (message: M) => {
    sent.push(message);
    return { attempts: 1, durationMs: 0 };
  };
  return { kind, sent, send };
}

describe('renderEmailForTenant', () => {
  it("uses the tenant's locale, time zone, dashboard and organization name", async () => {
    const email = await renderEmailForTenant(fixtures['hard-no-optional-fields'], tenant);
    expect(email.subject).toBe('🚨 Alerta: Disk usage above 80%');
    expect(email.text).toContain('Criado em: 14 de dez. de 2025, 11:30 GMT-3');
    expect(email.text).toContain('Organização: Acme Logística');
    expect(email.text).toContain('Ver alerta: https://app.pytake.net/alerts');
  });

  it('lets overrides win, e.g. a brand', async () => {
    const email = await renderEmailForTenant(fixtures['created-low'], tenant, {
      brand: { name: 'Acme Alerts' },
    });
    expect(email.text).toContain('\nAcme Alerts\n');
  });
});

describe('renderSlackForTenant', () => {
  it("mentions people on escalation as the tenant's Slack settings say", () => {
    expect(renderSlackForTenant(fixtures['escalated-admin'], tenant).text).toMatch(
      /^<!channel> ⚠️ Alerta escalado para Admin/,
    );
    const quiet = parseTenantConfig({
      ...tenantInput,
      slack: { ...tenantInput.slack!, mentionOnEscalation: undefined },
    });
    expect(renderSlackForTenant(fixtures['escalated-admin'], quiet).text).not.toContain('<!');
  });
});

describe('as the render of core notifier routes', () => {
  it('renders one email and one Slack message per event, in the tenant locale', async () => {
    const email = capture<EmailDelivery>('email');
    const slack = capture<SlackDelivery<SlackMessage>>('slack');
    const notifier = createNotifier<SlackMessage>({
      directory: createStaticDirectory([tenantInput]),
      routes: {
        email: { channel: email, render: renderEmailForTenant },
        slack: { channel: slack, render: renderSlackForTenant },
      },
    });
    const report = await notifier.notify(fixtures['stale-9-days']);
    expect(report.summary.delivered).toBe(2);
    expect(email.sent[0]?.subject).toBe(
      '⏰ Alerta parado: Message delivery rate below 90% (inativo há 9 dias)',
    );
    expect(email.sent[0]?.to).toEqual(['ops@acme.example']);
    expect(slack.sent[0]?.message.text).toContain('Alerta parado');
  });
});

describe('renderEmailDigestForTenant and renderSlackDigestForTenant', () => {
  it('are the renderDigest of core’s routes as they are, and take the tenant’s settings', async () => {
    const email = capture<EmailDelivery>('email');
    const slack = capture<SlackDelivery<SlackMessage>>('slack');
    const routes: Routes<SlackMessage> = {
      email: { channel: email, render: renderEmailForTenant, renderDigest: renderEmailDigestForTenant },
      slack: { channel: slack, render: renderSlackForTenant, renderDigest: renderSlackDigestForTenant },
    };
    const digest = digestFixture(12);
    const mail = await routes.email!.renderDigest!(digest, tenant);
    expect(mail.subject).toBe('🚨 12 alertas em Acme Logística: 2 críticos, 3 altos, 4 médios, 3 baixos');
    const message = (await routes.slack!.renderDigest!(digest, tenant)) as SlackMessage;
    expect(message.text).toBe('🔴 12 alertas em Acme Logística: 2 críticos, 3 altos, 4 médios, 3 baixos');
    // The tenant mentions @channel on escalations; a digest never does.
    expect(JSON.stringify(message)).not.toContain('<!channel>');
    const overridden = await renderEmailDigestForTenant(digest, tenant, { locale: 'en' });
    expect(overridden.subject).toBe('🚨 12 alerts in Acme Logística: 2 critical, 3 high, 4 medium, 3 low');
  });

  it('takes core’s RenderContext as the third argument of render', async () => {
    const context: RenderContext = { firstReportedInDigest: 'dgst_1' };
    const message = renderSlackForTenant(fixtures['escalated-high'], tenant, context);
    expect(message.text).toContain('Alerta escalado');
  });
});
