// What a service in TypeScript (CommonJS) writes: one notifier, email and Slack, the PyTake templates.
import {
  type AlertEventInput,
  createNotifier,
  createStaticDirectory,
  type DeliveryRecord,
  type NotificationReport,
} from '@pytake/notify-core';
import { createEmailChannel, type EmailChannel } from '@pytake/notify-email';
import { createSlackWebhookChannel, type SlackMessage, type SlackWebhookChannel } from '@pytake/notify-slack';
import {
  renderAlertSlack,
  renderEmailDigestForTenant,
  renderEmailForTenant,
  renderSlackDigestForTenant,
  renderSlackForTenant,
} from '@pytake/notify-templates';
import { type FixtureName, fixtures } from '@pytake/notify-templates/fixtures';
import { AlertEmail } from '@pytake/notify-templates/react';
import type { ReactElement } from 'react';

async function main(): Promise<void> {
  const email: EmailChannel = createEmailChannel({
    host: '127.0.0.1',
    port: Number(process.env.SMTP_PORT),
    useTls: false,
    fromEmail: 'alerts@pytake.test',
  });
  const slack: SlackWebhookChannel = createSlackWebhookChannel({ allowedHosts: ['127.0.0.1'] });
  const notifier = createNotifier({
    directory: createStaticDirectory([
      {
        organizationId: 'org_acme',
        timeZone: 'America/Sao_Paulo',
        email: { to: ['ops@acme.test'] },
        slack: { webhooks: [{ url: process.env.WEBHOOK_URL ?? 'http://127.0.0.1:9/' }] },
      },
    ]),
    routes: {
      email: { channel: email, render: renderEmailForTenant, renderDigest: renderEmailDigestForTenant },
      slack: { channel: slack, render: renderSlackForTenant, renderDigest: renderSlackDigestForTenant },
    },
  });

  const escalated: AlertEventInput = {
    type: 'alert.escalated',
    occurredAt: '2026-01-05T11:00:00Z',
    fromLevel: 1,
    toLevel: 2,
    alert: {
      id: 'alrt_cts',
      organizationId: 'org_acme',
      title: 'Disk usage above 90% on db-1 [cts]',
      severity: 'high',
      category: 'system',
      createdAt: '2026-01-05T10:00:00Z',
    },
  };
  const report: NotificationReport = await notifier.notify(escalated);
  const statuses: string[] = report.records.map((r: DeliveryRecord) => r.status);
  const name: FixtureName = 'created-critical';
  const message: SlackMessage = renderAlertSlack(fixtures[name]);
  const element: ReactElement = AlertEmail({ event: fixtures[name] });
  await notifier.close();
  email.close();
  console.log(statuses, message.text, element !== null);
}

void main();
