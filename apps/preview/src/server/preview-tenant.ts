import { type ConfigError, isNotifyError, parseTenantConfig, type TenantConfig } from '@pytake/notify-core';
import { ApiError } from './api-error.js';
import { previewDefaults } from './defaults.js';

export interface PreviewTenantInput {
  organizationId: string;
  locale?: unknown;
  timeZone?: unknown;
  recipient: string;
  webhookUrl: string;
  /** Web API channels (the `slackApi` route) besides the webhook, named or not as a tenant config may. */
  channels?: readonly { id: string; name?: string }[];
}

/**
 * The organization a preview renders and sends for: one recipient and one webhook, with the locale and
 * time zone picked in the UI. Validated by core's tenant schema, so a bad time zone is answered the way
 * a service's bad tenant config would be.
 */
export function previewTenant(input: PreviewTenantInput): TenantConfig {
  try {
    return parseTenantConfig({
      organizationId: input.organizationId,
      locale: input.locale ?? undefined,
      timeZone: input.timeZone ?? undefined,
      dashboardUrl: 'https://app.pytake.com/alerts',
      email: { to: [input.recipient], storm: { intervalMs: previewDefaults.stormIntervalMs } },
      slack: {
        webhooks: [{ url: input.webhookUrl, name: 'preview' }],
        channels: [...(input.channels ?? [])],
        storm: { intervalMs: previewDefaults.stormIntervalMs },
      },
    });
  } catch (error) {
    if (isNotifyError(error) && error.code === 'config') {
      // Only locale and time zone come from the request; the webhook is ours and never echoed.
      throw new ApiError(400, 'validation', 'Invalid preview options', (error as ConfigError).issues);
    }
    throw error;
  }
}
