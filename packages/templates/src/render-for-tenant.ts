import type { AlertDigest, AlertEvent, AlertEventInput, TenantConfig } from '@pytake/notify-core';
import type { SlackMessage } from '@pytake/notify-slack';
import { type RenderedEmail, renderAlertEmail } from './email/render-alert-email.js';
import { renderDigestEmail } from './email/render-digest-email.js';
import type { AlertEmailOptions, AlertSlackOptions, AlertTemplateOptions } from './options.js';
import { renderAlertSlack } from './slack/render-alert-slack.js';
import { renderDigestSlack } from './slack/render-digest-slack.js';

/** The options a tenant config implies: its locale, time zone, dashboard and organization name. */
export function templateOptionsForTenant(tenant: TenantConfig): AlertTemplateOptions & AlertSlackOptions {
  return {
    locale: tenant.locale,
    timeZone: tenant.timeZone,
    dashboardUrl: tenant.dashboardUrl,
    organizationName: tenant.organizationName,
    mentionOnEscalation: tenant.slack?.mentionOnEscalation ?? false,
  };
}

/**
 * `renderAlertEmail` with the tenant's settings: the `render` of core's email route as is
 * (`routes: { email: { channel, render: renderEmailForTenant } }`). `overrides` win over the tenant
 * (e.g. a `brand`).
 */
export function renderEmailForTenant(
  event: AlertEvent | AlertEventInput,
  tenant: TenantConfig,
  overrides: AlertEmailOptions = {},
): Promise<RenderedEmail> {
  return renderAlertEmail(event, emailOptionsForTenant(tenant, overrides));
}

/** The tenant's options without the Slack-only one, then `overrides`. */
function emailOptionsForTenant(tenant: TenantConfig, overrides: AlertEmailOptions): AlertEmailOptions {
  const { mentionOnEscalation: _unused, ...options } = templateOptionsForTenant(tenant);
  return { ...options, ...overrides };
}

/**
 * `renderDigestEmail` with the tenant's settings: the `renderDigest` of core's email route as is
 * (`routes: { email: { channel, render: renderEmailForTenant, renderDigest: renderEmailDigestForTenant } }`).
 */
export function renderEmailDigestForTenant(
  digest: AlertDigest,
  tenant: TenantConfig,
  overrides: AlertEmailOptions = {},
): Promise<RenderedEmail> {
  return renderDigestEmail(digest, emailOptionsForTenant(tenant, overrides));
}

/**
 * `renderAlertSlack` with the tenant's settings, including `slack.mentionOnEscalation`: the `render`
 * of core's Slack route as is. `overrides` win over the tenant.
 */
export function renderSlackForTenant(
  event: AlertEvent | AlertEventInput,
  tenant: TenantConfig,
  overrides: AlertSlackOptions = {},
): SlackMessage {
  return renderAlertSlack(event, { ...templateOptionsForTenant(tenant), ...overrides });
}

/**
 * `renderDigestSlack` with the tenant's settings: the `renderDigest` of core's Slack route as is
 * (`routes: { slack: { channel, render: renderSlackForTenant, renderDigest: renderSlackDigestForTenant } }`).
 * The tenant's `mentionOnEscalation` is ignored: a digest never mentions anyone.
 */
export function renderSlackDigestForTenant(
  digest: AlertDigest,
  tenant: TenantConfig,
  overrides: AlertSlackOptions = {},
): SlackMessage {
  return renderDigestSlack(digest, { ...templateOptionsForTenant(tenant), ...overrides });
}
