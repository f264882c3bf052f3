import { httpFailure } from './http-failure.js';
import type { RawResponse } from './raw-response.js';
import { slackErrorCode } from './slack-error-code.js';

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
  const body = parseBody(response);
  if (response.status === 200 && body?.ok === true) return body;
  throw httpFailure({
    ...context,
    option: 'baseUrl',
    response,
    slackError: body?.error,
    message: ({ slackError }) => `Slack ${method} failed: ${slackError ?? `HTTP ${response.status}`}`,
  });
}

/** Slack's error code in a Web API answer (`message_not_found`), or undefined when it gave none to quote. */
export function apiErrorCode(response: RawResponse): string | undefined {
  return slackErrorCode(parseBody(response)?.error);
}

function parseBody(response: RawResponse): Record<string, unknown> | undefined {
  try {
    const body: unknown = JSON.parse(response.body);
    return typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
