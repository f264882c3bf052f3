import { ConfigError, NotifyError, type NotifyErrorCode } from '@pytake/notify-core';
import type { RawResponse } from './raw-response.js';
import { parseRetryAfter } from './retry-after.js';
import { slackErrorCode } from './slack-error-code.js';

/** What a failed answer's message may say: never the body, only Slack's error code. */
export interface AnswerFacts {
  code: NotifyErrorCode;
  status: number;
  /** Slack's error code (`no_service`, `ratelimited`), or undefined when there is none to quote. */
  slackError: string | undefined;
  /** The body was empty (rather than not a Slack error code). */
  emptyBody: boolean;
  retryAfterMs: number | undefined;
}

/** One failed HTTP call to Slack: an answer that is not success, or no answer at all. */
export type HttpFailure = {
  /** Where it went, already redacted (`hooks.slack.com/…a1b2`, `slack.com chat.postMessage`). */
  target: string;
} & (
  | {
      response: RawResponse;
      /** Where Slack put its error code: a webhook answer's body, a Web API answer's `error`. */
      slackError: unknown;
      /** Words the error; each caller keeps the message its users know. */
      message: (facts: AnswerFacts) => string;
      /** The option that holds the URL, named when the URL redirects. */
      option: string;
      /** For a Retry-After given as an HTTP date. */
      nowMs: number;
    }
  | { timedOutAfterMs: number }
  /** `connection`: the socket or the response stream reported it, so it is the network whatever it is. */
  | { thrown: unknown; connection?: boolean }
);

// Web API errors (and a webhook's `invalid_token`) that mean the token cannot do this, whatever we retry.
const AUTH = new Set([
  'invalid_auth',
  'invalid_token',
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
// The Web API says `ratelimited` (with HTTP 429); webhooks answer 429 `rate_limited`.
const RATE_LIMITED = new Set(['ratelimited', 'rate_limited']);

/**
 * The one reading of a failed HTTP call to Slack, for webhooks, the Web API and response URLs alike.
 * The status and Slack's error code decide: 429 (or `ratelimited`) waits for Retry-After (1 s when
 * absent); 408, 5xx and Slack-side errors may pass if we wait, so they are `transient`; 401 and the
 * token errors are `auth`; any other 4xx (or `ok: false`) will fail the same way every time, so it is
 * `permanent` and not retried. A 3xx is a `ConfigError`: Slack never redirects, so the URL is wrong,
 * and its Location (never read) could point a tenant's webhook at an internal host.
 *
 * No answer: a timeout is `timeout`, a connection error `transient` (both retryable). Anything else
 * thrown is not the network but a bug or a broken runtime: retrying would only hide it, so it is
 * `permanent`. Only a Slack error code or a system code (ECONNRESET) is quoted, never a body, an
 * error message or a cause, since any of them may carry the webhook path or the token: the caller
 * words an answer's error from `AnswerFacts`, which hold no body.
 */
export function httpFailure(failure: HttpFailure): NotifyError {
  const at = `(${failure.target})`;
  if ('timedOutAfterMs' in failure) {
    return new NotifyError(`Slack did not answer within ${failure.timedOutAfterMs} ms ${at}`, {
      code: 'timeout',
      retryable: true,
    });
  }
  if ('thrown' in failure) {
    const { thrown } = failure;
    const code = systemCode(thrown);
    // Node's own `ERR_*` codes are bugs (a bad argument, a bad agent), not the network.
    if (failure.connection || isFetchFailure(thrown) || (code && !code.startsWith('ERR_'))) {
      return new NotifyError(`Slack connection failed${code ? ` (${code})` : ''} ${at}`, {
        code: 'transient',
        retryable: true,
      });
    }
    return new NotifyError(
      `Slack request failed ${at}: ${thrown instanceof Error ? thrown.name : typeof thrown}`,
      { code: 'permanent' },
    );
  }
  const { status, headers, body } = failure.response;
  // fetch reports a redirect that it did not follow as status 0 (`opaqueredirect`) where it hides it.
  if (status === 0 || (status >= 300 && status < 400)) {
    return new ConfigError(`Refused ${failure.option}`, [
      {
        path: failure.option,
        message: `the URL redirects (HTTP ${status || 'redirect'}); Slack never redirects, so check the URL ${at}`,
      },
    ]);
  }
  const slackError = slackErrorCode(failure.slackError);
  const error = slackError ?? '';
  const retryAfter = parseRetryAfter(headers.get('retry-after'), failure.nowMs);
  let code: NotifyErrorCode = 'permanent';
  if (status === 429 || RATE_LIMITED.has(error)) code = 'rate_limited';
  else if (status === 401 || AUTH.has(error)) code = 'auth';
  else if (status === 408 || status >= 500 || TRANSIENT.has(error)) code = 'transient';
  const retryable = code === 'rate_limited' || code === 'transient';
  // A 429 without Retry-After still waits a little; a Retry-After on a permanent error means nothing.
  const retryAfterMs = code === 'rate_limited' ? (retryAfter ?? 1000) : retryable ? retryAfter : undefined;
  const facts = { code, status, slackError, emptyBody: !body.trim(), retryAfterMs };
  return new NotifyError(failure.message(facts), { code, retryable, retryAfterMs });
}

// undici rejects a request that never got a response with `TypeError('fetch failed')`, the cause
// holding the socket error.
function isFetchFailure(error: unknown): boolean {
  return error instanceof TypeError && error.message === 'fetch failed';
}

// The system error code (ECONNREFUSED, ECONNRESET, ...) is useful and carries no secret; the
// message is never quoted (it names the address, and a proxy's could name more).
function systemCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
  }
  return undefined;
}
