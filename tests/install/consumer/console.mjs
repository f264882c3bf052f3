// What a service writes to mount the operator console (ESM): the in-process source fed by its
// notifier, the node:http adapter, and the prebuilt UI served from the package's dist.
import { createServer } from 'node:http';
import { createConsole, createInProcessSource } from '@pytake/notify-console';
import { createNotifier, createStaticDirectory } from '@pytake/notify-core';

const source = createInProcessSource();
const notifier = createNotifier({
  directory: createStaticDirectory([
    {
      organizationId: 'org_acme',
      slack: { webhooks: [{ url: 'https://hooks.slack.com/services/T000/B000/XXXXa1b2' }] },
    },
  ]),
  routes: {
    slack: {
      channel: { kind: 'slack', send: async () => ({ attempts: 1, durationMs: 0 }) },
      render: () => ({ text: 'hi' }),
    },
  },
  onDelivery: source.record,
});
const event = {
  type: 'alert.created',
  occurredAt: '2026-01-05T10:00:00Z',
  alert: {
    id: 'alrt_console_esm',
    organizationId: 'org_acme',
    title: 'Disk full',
    severity: 'high',
    category: 'system',
    createdAt: '2026-01-05T10:00:00Z',
  },
};
source.event(event);
await notifier.notify(event);

const opsConsole = createConsole({ source, authorize: async () => ({ id: 'ops' }) });
const server = createServer(opsConsole.node);
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/console`;
const page = await fetch(`${base}/`);
const html = await page.text();
const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1];
const asset = script ? await fetch(new URL(script, `${base}/`)) : undefined;
const { alerts } = await (await fetch(`${base}/api/alerts`)).json();
server.close();
console.log(
  JSON.stringify({
    page: page.status,
    script: asset?.status,
    scriptType: asset?.headers.get('content-type'),
    alerts: alerts.map((a) => `${a.alertId} ${a.targets[0]?.state}`),
  }),
);
