import {
  type AlertEvent,
  type Channel,
  createNotifier,
  createStaticDirectory,
  type DeliveryReceipt,
  type EmailDelivery,
  type SlackDelivery,
} from '@pytake/notify-core';
import type { SlackMessage } from '@pytake/notify-slack';
import {
  renderAlertEmail,
  renderAlertSlack,
  renderEmailForTenant,
  renderSlackForTenant,
} from '@pytake/notify-templates';
import { fixtures } from '@pytake/notify-templates/fixtures';
import { compareTime, type Row } from '../harness.js';

const receipt: DeliveryReceipt = { attempts: 1, durationMs: 0 };
// Channels that answer at once, so that only the notifier's own work is left to compare.
const emailChannel: Channel<EmailDelivery> = { kind: 'email', send: async () => receipt };
const slackChannel: Channel<SlackDelivery<SlackMessage>> = { kind: 'slack', send: async () => receipt };

/**
 * One event to 1 email target and 2 webhooks. Ours: `notify()` (validation, tenant lookup, routing,
 * idempotency, records). Raw: what a service would write by hand: render both messages and call the
 * three channels. Both render with the real templates, as a service must.
 */
export async function notifierOverheadRow(): Promise<Row> {
  const organizationId = 'org-bench';
  const tenant = {
    organizationId,
    email: { to: ['ops@example.com', 'lead@example.com'] },
    slack: {
      webhooks: [
        { url: 'https://hooks.slack.com/services/T0/B1/aaaa' },
        { url: 'https://hooks.slack.com/services/T0/B2/bbbb' },
      ],
    },
  };
  const notifier = createNotifier({
    directory: createStaticDirectory([tenant]),
    routes: {
      email: { channel: emailChannel, render: renderEmailForTenant },
      slack: { channel: slackChannel, render: renderSlackForTenant },
    },
  });
  const template = fixtures['created-critical'];
  let n = 0;
  // A new occurrence each call, so that idempotency never turns ours into a cheap 'duplicate'.
  const nextEvent = (): AlertEvent => ({
    ...template,
    alert: { ...template.alert, organizationId },
    occurredAt: new Date(template.occurredAt.getTime() + ++n),
  });

  const ours = async () => {
    const report = await notifier.notify(nextEvent());
    if (report.summary.delivered !== 3) throw new Error('ours: expected 3 deliveries');
  };
  const raw = async () => {
    const event = nextEvent();
    const threadKey = event.alert.id;
    const [email, slack] = await Promise.all([renderAlertEmail(event), renderAlertSlack(event)]);
    await Promise.all([
      emailChannel.send({ ...email, to: tenant.email.to, threadKey }),
      ...tenant.slack.webhooks.map((w) =>
        slackChannel.send({ webhookUrl: w.url, message: slack, threadKey }),
      ),
    ]);
  };
  const row = await compareTime('notifier overhead, 1 email + 2 webhooks', ours, raw, {
    warmup: 20,
    iterations: 300,
    maxRatio: 1.15,
  });
  row.note = `notify() adds ${((row.ours.medianMs - row.raw.medianMs) * 1000).toFixed(0)} µs per event (median)`;
  return row;
}
