import type { AlertDigest, AlertEvent, RenderContext, TenantConfig } from '@pytake/notify-core';
import { createSlackApiChannel, type SlackApiChannel } from '@pytake/notify-slack';
import { previewDefaults } from './defaults.js';
import type { PreviewTemplates } from './preview-templates.js';
import { renderAlertMessage } from './updated-message.js';

/**
 * The fake Slack's Web API (this app's `/slack/api/`), for POST /api/notify: made on first use, when
 * the port is known. `channel()` makes it (undefined while the origin is unknown); `made()` is the
 * one made so far, if any.
 */
export function fakeSlackApi(origin: () => string | undefined) {
  let made: SlackApiChannel | undefined;
  return {
    channel(): SlackApiChannel | undefined {
      const current = origin();
      if (!current) return undefined;
      made ??= createSlackApiChannel({
        token: previewDefaults.fakeSlackToken,
        baseUrl: `${current}/slack/api/`,
        allowedHosts: [new URL(current).hostname],
        // The fake has no per-channel limit to respect, and a demo should not wait a second per message.
        rateLimit: false,
        retry: { maxAttempts: 2 },
      });
      return made;
    },
    made: () => made,
  };
}

/**
 * The Web API route of both paths, the notifier's and the queue worker's: the worker renders with
 * it again when it edits the alert's messages after an action.
 */
export const slackApiRoute = (channel: SlackApiChannel, templates: PreviewTemplates) => ({
  channel,
  render: (event: AlertEvent, tenant: TenantConfig, context?: RenderContext) =>
    renderAlertMessage(event, tenant, templates, context),
  renderDigest: (digest: AlertDigest, tenant: TenantConfig) =>
    templates.renderSlackDigestForTenant(digest, tenant),
});
