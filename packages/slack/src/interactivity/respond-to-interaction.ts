import {
  type DeliveryReceipt,
  type RetryOptions,
  redactUrl,
  retry,
  type SendOptions,
} from '@pytake/notify-core';
import { checkSlackMessage } from '../check-slack-message.js';
import { checkUrl } from '../delivery/check-url.js';
import { slackChannelDefaults } from '../delivery/defaults.js';
import { httpFailure } from '../delivery/http-failure.js';
import { postJson } from '../delivery/post-json.js';
import { checkWebhookResponse } from '../delivery/webhook-response.js';
import type { SlackMessage } from '../slack-message.js';

/** Options of `respondToInteraction`. */
export interface RespondToInteractionOptions {
  /** Hosts accepted besides hooks.slack.com (plain http only for loopback ones, e.g. tests). @default [] */
  allowedHosts?: readonly string[];
  /** Per-attempt timeout in ms. @default 10000 */
  timeoutMs?: number;
  /** Core retry policy (429 and 5xx are retried; a used or expired URL is not). */
  retry?: RetryOptions;
  /** The `fetch` to call Slack with. @default globalThis.fetch */
  fetch?: typeof fetch;
}

/**
 * Replaces the message a button was pressed on, through the interaction's `response_url`
 * (`replace_original: true`), which Slack supports for messages posted by incoming webhooks too,
 * where `chat.update` cannot reach. Slack accepts up to 5 responses within 30 minutes of the press.
 * The URL is checked like a webhook's (https on hooks.slack.com unless `allowedHosts` says otherwise)
 * and never appears in an error: it is a credential for those 30 minutes.
 * @throws SlackValidationError for a message Slack would refuse, ConfigError for a refused URL,
 *   NotifyError (`permanent`, `rate_limited`, `transient`, ...) when Slack answers with an error.
 */
export async function respondToInteraction(
  responseUrl: string,
  message: SlackMessage,
  // `retry` here is the policy (as a channel's option), not a send's `retry: false`.
  options: RespondToInteractionOptions & Omit<SendOptions, 'retry'> = {},
): Promise<DeliveryReceipt> {
  const url = checkUrl(
    responseUrl,
    'responseUrl',
    slackChannelDefaults.webhookHosts,
    options.allowedHosts,
  ).href;
  checkSlackMessage(message);
  const target = redactUrl(url);
  const started = performance.now();
  let attempts = 0;
  await retry(
    async ({ signal }) => {
      attempts++;
      const response = await postJson(
        url,
        { ...message, replace_original: true },
        {
          timeoutMs: options.timeoutMs ?? slackChannelDefaults.timeoutMs,
          signal,
          target,
          fetch: options.fetch,
        },
      );
      const context = { target, option: 'responseUrl', nowMs: Date.now() };
      checkWebhookResponse(response, context);
      // Some answers are HTTP 200 with `{ "ok": false, "error": "..." }`: Slack refused it all the same.
      const refusal = okFalse(response.body);
      if (refusal) {
        throw httpFailure({
          ...context,
          response,
          slackError: refusal.error,
          message: ({ slackError }) =>
            `Slack refused the response: ${slackError ?? '(no error code)'} (${target})`,
        });
      }
    },
    { ...options.retry, signal: options.signal ?? options.retry?.signal },
  );
  return { attempts, durationMs: Math.round(performance.now() - started) };
}

/** The body when it is `{ "ok": false, ... }`, else undefined. */
function okFalse(body: string): { error?: unknown } | undefined {
  if (!body.trimStart().startsWith('{')) return undefined;
  try {
    const parsed = JSON.parse(body) as { ok?: unknown; error?: unknown };
    return parsed.ok === false ? parsed : undefined;
  } catch {
    return undefined;
  }
}
