import type {
  AlertEvent,
  Channel,
  EmailContent,
  EmailDelivery,
  Route,
  SlackDelivery,
  TenantConfig,
} from '@pytake/notify-core';
import type { SlackMessage } from '@pytake/notify-slack';
import { type PreviewTemplates, packageTemplates } from './preview-templates.js';
import { slackSize } from './slack-size.js';

/**
 * What the preview shows for one event: exactly what the notifier would send to this tenant, and the
 * Slack message's size against Slack's limits.
 */
export async function renderPreview(
  event: AlertEvent,
  tenant: TenantConfig,
  templates: PreviewTemplates = packageTemplates,
) {
  const [email, slack] = await Promise.all([
    templates.renderEmailForTenant(event, tenant),
    templates.renderSlackForTenant(event, tenant),
  ]);
  return { email, slack, slackSize: slackSize(slack) };
}

/** The notifier routes: the real templates joined to the given channels. */
export function previewRoutes(
  channels: {
    email: Channel<EmailDelivery>;
    slack: Channel<SlackDelivery<SlackMessage>>;
  },
  templates: PreviewTemplates = packageTemplates,
): {
  email: Route<EmailContent, EmailDelivery>;
  slack: Route<SlackMessage, SlackDelivery<SlackMessage>>;
} {
  return {
    email: {
      channel: channels.email,
      render: (event, tenant) => templates.renderEmailForTenant(event, tenant),
    },
    slack: {
      channel: channels.slack,
      render: (event, tenant) => templates.renderSlackForTenant(event, tenant),
    },
  };
}
