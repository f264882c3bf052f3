import { httpFailure } from './http-failure.js';
import type { RawResponse } from './raw-response.js';

/**
 * Reads a Web API answer. Slack answers HTTP 200 with `{ ok: false, error }` for most failures, so
 * the body's `error` decides as much as the status (`httpFailure` reads both): `ratelimited` (also
 * HTTP 429 with Retry-After) is retried, `invalid_auth`/`missing_scope` are auth failures,
 * `channel_not_found` and the rest are permanent.
 */
export function checkApiResponse(
  method: string,
  response: RawResponse,
  context: { target: string; nowMs: number },
): Record<string, unknown> {
  let body: Record<string, unknown> | undefined;
  try {
    body = JSON.parse(response.body) as Record<string, unknown>;
  } catch {
    body = undefined;
  }
  if (response.status === 200 && body?.ok === true) return body;
  throw httpFailure({
    ...context,
    option: 'baseUrl',
    response,
    slackError: body?.error,
    message: ({ slackError }) => `Slack ${method} failed: ${slackError ?? `HTTP ${response.status}`}`,
  });
}
