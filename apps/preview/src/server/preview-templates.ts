import type { AlertDigest, AlertEvent, AlertEventInput, TenantConfig } from '@pytake/notify-core';
import type { SlackMessage } from '@pytake/notify-slack';
import {
  type AlertEmailOptions,
  type AlertSlackOptions,
  type RenderedEmail,
  renderEmailDigestForTenant,
  renderEmailForTenant,
  renderSlackDigestForTenant,
  renderSlackForTenant,
} from '@pytake/notify-templates';

/**
 * The template functions the app renders and sends with: each alert's own message and a storm's
 * digest, by email and Slack. The package's own by default; in `pnpm demo`, the live copy loaded
 * from source that follows the designer's edits (live-templates.ts).
 */
export interface PreviewTemplates {
  renderEmailForTenant(
    event: AlertEvent | AlertEventInput,
    tenant: TenantConfig,
    overrides?: AlertEmailOptions,
  ): Promise<RenderedEmail>;
  renderSlackForTenant(
    event: AlertEvent | AlertEventInput,
    tenant: TenantConfig,
    overrides?: AlertSlackOptions,
  ): SlackMessage | Promise<SlackMessage>;
  renderEmailDigestForTenant(
    digest: AlertDigest,
    tenant: TenantConfig,
    overrides?: AlertEmailOptions,
  ): Promise<RenderedEmail>;
  renderSlackDigestForTenant(
    digest: AlertDigest,
    tenant: TenantConfig,
    overrides?: AlertSlackOptions,
  ): SlackMessage | Promise<SlackMessage>;
}

/** The templates as built and installed: what `pnpm start` uses. */
export const packageTemplates: PreviewTemplates = {
  renderEmailForTenant,
  renderSlackForTenant,
  renderEmailDigestForTenant,
  renderSlackDigestForTenant,
};
