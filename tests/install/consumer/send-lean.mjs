// What a service on ESM writes when it only sends (no /react, no /fixtures): no React installed.
// The compiled templates render every email, so react, react-dom and @react-email/* are not needed.
import { createNotifier, createStaticDirectory } from '@pytake/notify-core';
import { createEmailChannel } from '@pytake/notify-email';
import { createSlackWebhookChannel } from '@pytake/notify-slack';
import { renderEmailForTenant, renderSlackForTenant } from '@pytake/notify-templates';

const label = 'lean';
const email = createEmailChannel({
  host: '127.0.0.1',
  port: Number(process.env.SMTP_PORT),
  useTls: false,
  fromEmail: 'alerts@pytake.test',
});
const slack = createSlackWebhookChannel({ allowedHosts: ['127.0.0.1'] });
const notifier = createNotifier({
  directory: createStaticDirectory([
    {
      organizationId: 'org_acme',
      organizationName: 'Acme Corp',
      timeZone: 'America/Sao_Paulo',
      email: { to: ['ops@acme.test'] },
      slack: { webhooks: [{ url: process.env.WEBHOOK_URL }] },
    },
  ]),
  routes: {
    email: { channel: email, render: renderEmailForTenant },
    slack: { channel: slack, render: renderSlackForTenant },
  },
});

const alert = {
  id: `alrt_${label}`,
  organizationId: 'org_acme',
  title: `Disk usage above 90% on db-1 [${label}]`,
  severity: 'high',
  category: 'system',
  createdAt: '2026-01-05T10:00:00Z',
  url: `https://app.pytake.net/alerts/alrt_${label}`,
};
const reports = [
  await notifier.notify({ type: 'alert.created', occurredAt: '2026-01-05T10:00:00Z', alert }),
  await notifier.notify({
    type: 'alert.escalated',
    occurredAt: '2026-01-05T11:00:00Z',
    fromLevel: 1,
    toLevel: 2,
    alert: { ...alert, escalationLevel: 2 },
  }),
];
email.close();

function reactResolves() {
  try {
    import.meta.resolve('react');
    return true;
  } catch {
    return false;
  }
}

console.log(
  JSON.stringify({
    label,
    statuses: reports.flatMap((r) => r.records.map((d) => `${d.eventType} ${d.channel} ${d.status}`)),
    subpaths: { react: reactResolves() ? 'installed' : 'absent' },
  }),
);
