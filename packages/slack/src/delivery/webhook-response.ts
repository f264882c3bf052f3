import { NotifyError } from '@pytake/notify-core';
import type { RawResponse } from './post-json.js';
import { parseRetryAfter } from './retry-after.js';
import { slackErrorCode } from './slack-error-code.js';

/**
 * Turns a webhook answer into success or a NotifyError. Slack answers 200 `ok`, or a status with a
 * short error code (`invalid_payload`, `no_service`, ...). 429, 408 and 5xx may pass if we wait;
 * any other 4xx will fail the same way every time, so it is not retried. Only a body that is such a
 * code is quoted: any other body is left out, so a server echoing the URL cannot leak it.
 */
export function checkWebhookResponse(
  response: RawResponse,
  context: { target: string; nowMs: number },
): void {
  const { status } = response;
  if (status >= 200 && status < 300) return;
  const code = slackErrorCode(response.body);
  const reason =
    code ?? (response.body.trim() ? '(body not shown: not a Slack error code)' : '(no error text)');
  const at = `(${context.target})`;
  if (status === 429) {
    const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), context.nowMs) ?? 1000;
    throw new NotifyError(
      `Slack rate limited the webhook: 429 ${reason}, retry after ${retryAfterMs} ms ${at}`,
      {
        code: 'rate_limited',
        retryable: true,
        retryAfterMs,
      },
    );
  }
  if (status === 408 || status >= 500) {
    throw new NotifyError(`Slack webhook failed temporarily: ${status} ${reason} ${at}`, {
      code: 'transient',
      retryable: true,
      retryAfterMs: parseRetryAfter(response.headers.get('retry-after'), context.nowMs),
    });
  }
  const errorCode = code === 'invalid_token' || status === 401 ? 'auth' : 'permanent';
  throw new NotifyError(`Slack webhook rejected the message: ${status} ${reason} ${at}`, { code: errorCode });
}
