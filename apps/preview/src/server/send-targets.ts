import { slackChannelDefaults } from '@pytake/notify-slack';
import { z } from 'zod';
import { ApiError } from './api-error.js';

/** Where a "Send test" typed in the UI goes, besides (or instead of) the preview's own targets. */
export interface SendTargets {
  /** A recipient address typed in the UI. */
  to?: string;
  /** A webhook URL typed in the UI. */
  webhookUrl?: string;
  /** True when `webhookUrl` is the preview's own embedded receiver (plain http on loopback). */
  embeddedWebhook: boolean;
}

// The same check core's tenant schema applies to recipients, so what passes here passes there.
const emailSchema = z.email();

/**
 * Reads `to` and `webhookUrl` of a send request. A typed webhook must pass the Slack channel's SSRF
 * rules: https on hooks.slack.com, no credentials, no other port; the only other URL accepted is the
 * preview's own receiver (`embeddedOrigin` + `/hooks/slack/…`). Errors name the field and never echo
 * the value: an address is personal data and a webhook path is a credential.
 * @throws ApiError 400 `validation` with one issue per bad field.
 */
export function parseSendTargets(
  body: { to?: unknown; webhookUrl?: unknown },
  embeddedOrigin: string,
): SendTargets {
  const issues: { path: string; message: string }[] = [];
  const blank = (v: unknown) => v === undefined || v === null || (typeof v === 'string' && v.trim() === '');
  const targets: SendTargets = { embeddedWebhook: false };

  if (!blank(body.to)) {
    const to = typeof body.to === 'string' ? body.to.trim() : undefined;
    if (to === undefined || !emailSchema.safeParse(to).success)
      issues.push({ path: 'to', message: 'expected an email address such as you@example.com' });
    else targets.to = to;
  }

  if (!blank(body.webhookUrl)) {
    const problem = webhookProblem(body.webhookUrl, embeddedOrigin);
    if (problem) issues.push({ path: 'webhookUrl', message: problem });
    else {
      targets.webhookUrl = (body.webhookUrl as string).trim();
      targets.embeddedWebhook = new URL(targets.webhookUrl).origin === embeddedOrigin;
    }
  }

  if (issues.length > 0) throw new ApiError(400, 'validation', 'Invalid send targets', issues);
  return targets;
}

function webhookProblem(value: unknown, embeddedOrigin: string): string | undefined {
  const expected = 'expected a Slack incoming webhook URL such as https://hooks.slack.com/services/T…/B…/…';
  if (typeof value !== 'string') return expected;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return expected;
  }
  if (url.username || url.password) return 'must not contain credentials';
  // The embedded receiver: exactly this app's origin, and only its webhook path.
  if (url.origin === embeddedOrigin) {
    return url.pathname.startsWith('/hooks/slack/')
      ? undefined
      : `on this preview's own address only the embedded receiver (${embeddedOrigin}/hooks/slack/…) is accepted`;
  }
  if (url.protocol !== 'https:') return `${expected} (https only)`;
  const host = url.hostname.toLowerCase();
  if (!slackChannelDefaults.webhookHosts.includes(host) || url.port !== '')
    return `${expected}; got host ${JSON.stringify(url.host)}, and only ${slackChannelDefaults.webhookHosts.join(', ')} is allowed`;
  if (!url.pathname.startsWith('/services/')) return expected;
  return undefined;
}
