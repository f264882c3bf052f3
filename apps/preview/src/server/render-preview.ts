import type {
  AlertDigest,
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

/** What the preview renders: one alert's event, or a storm's digest. */
export type PreviewSubject = { event: AlertEvent } | { digest: AlertDigest };

/**
 * What the preview shows for one event or digest: exactly what the notifier would send to this
 * tenant, and the Slack message's size against Slack's limits.
 */
export async function renderPreview(
  subject: PreviewSubject,
  tenant: TenantConfig,
  templates: PreviewTemplates = packageTemplates,
) {
  const [email, slack] = await Promise.all([
    renderEmail(subject, tenant, templates),
    renderSlack(subject, tenant, templates),
  ]);
  return { email, slack, slackSize: slackSize(slack) };
}

/** The email of an event or a digest, as the routes render it. */
export function renderEmail(
  subject: PreviewSubject,
  tenant: TenantConfig,
  templates: PreviewTemplates = packageTemplates,
) {
  return 'digest' in subject
    ? templates.renderEmailDigestForTenant(subject.digest, tenant)
    : templates.renderEmailForTenant(subject.event, tenant);
}

function renderSlack(subject: PreviewSubject, tenant: TenantConfig, templates: PreviewTemplates) {
  return 'digest' in subject
    ? templates.renderSlackDigestForTenant(subject.digest, tenant)
    : templates.renderSlackForTenant(subject.event, tenant);
}

/**
 * The notifier routes: the real templates joined to the given channels, with each route's storm
 * digest, and the render context (a digest that reported the alert first) passed to the templates.
 */
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
      render: (event, tenant, context) => templates.renderEmailForTenant(event, tenant, context),
      renderDigest: (digest, tenant) => templates.renderEmailDigestForTenant(digest, tenant),
    },
    slack: {
      channel: channels.slack,
      render: (event, tenant, context) => templates.renderSlackForTenant(event, tenant, context),
      renderDigest: (digest, tenant) => templates.renderSlackDigestForTenant(digest, tenant),
    },
  };
}
