import { type AnswerFacts, httpFailure } from './http-failure.js';
import type { RawResponse } from './raw-response.js';

/** Where a webhook-style answer came from, for its error. */
export interface WebhookResponseContext {
  /** Already redacted. */
  target: string;
  /** The option that holds the URL: `webhookUrl`, `responseUrl`. */
  option: string;
  nowMs: number;
}

/**
 * Turns a webhook answer into success or a NotifyError (`httpFailure` decides which). Slack answers
 * 200 `ok`, or a status with a short error code (`invalid_payload`, `no_service`, ...) as the body;
 * only such a code is quoted, so that a server echoing the URL cannot leak it.
 */
export function checkWebhookResponse(response: RawResponse, context: WebhookResponseContext): void {
  if (response.status >= 200 && response.status < 300) return;
  const at = `(${context.target})`;
  const message = ({ code, status, slackError, emptyBody, retryAfterMs }: AnswerFacts) => {
    const reason = slackError ?? (emptyBody ? '(no error text)' : '(body not shown: not a Slack error code)');
    if (code === 'rate_limited') {
      return `Slack rate limited the webhook: ${status} ${reason}, retry after ${retryAfterMs} ms ${at}`;
    }
    if (code === 'transient') return `Slack webhook failed temporarily: ${status} ${reason} ${at}`;
    return `Slack webhook rejected the message: ${status} ${reason} ${at}`;
  };
  throw httpFailure({ ...context, response, slackError: response.body, message });
}
