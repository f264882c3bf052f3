import { NotifyError, type NotifyErrorCode } from '@pytake/notify-core';
import type { RawResponse } from './post-json.js';
import { parseRetryAfter } from './retry-after.js';
import { slackErrorCode } from './slack-error-code.js';

// Web API errors that mean the token cannot do this, whatever we retry.
const AUTH = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
  'no_permission',
  'ekm_access_denied',
]);
// Slack-side trouble that may pass.
const TRANSIENT = new Set(['internal_error', 'fatal_error', 'service_unavailable', 'request_timeout']);

/**
 * Reads a Web API answer. Slack answers HTTP 200 with `{ ok: false, error }` for most failures, so
 * the body decides, not the status: `ratelimited` (also HTTP 429 with Retry-After) is retried,
 * `invalid_auth`/`missing_scope` are auth failures, `channel_not_found` and the rest are permanent.
 */
export function checkApiResponse(
  method: string,
  response: RawResponse,
  nowMs: number,
): Record<string, unknown> {
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  if (response.status === 200 && body?.ok === true) return body;
  // Only a Slack error code is quoted, never free text that could carry a token or a URL.
  const error = slackErrorCode(body?.error) ?? `HTTP ${response.status}`;
  const retryAfterMs = parseRetryAfter(response.headers.get('retry-after'), nowMs);
  let code: NotifyErrorCode = 'permanent';
  if (response.status === 429 || error === 'ratelimited' || error === 'rate_limited') code = 'rate_limited';
  else if (AUTH.has(error) || response.status === 401) code = 'auth';
  else if (TRANSIENT.has(error) || response.status === 408 || response.status >= 500) code = 'transient';
  throw new NotifyError(`Slack ${method} failed: ${error}`, {
    code,
    retryable: code === 'rate_limited' || code === 'transient',
    retryAfterMs: code === 'rate_limited' ? (retryAfterMs ?? 1000) : retryAfterMs,
  });
}
