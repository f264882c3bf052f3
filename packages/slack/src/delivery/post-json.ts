import { ConfigError, NotifyError } from '@pytake/notify-core';
import ky, { isTimeoutError } from 'ky';

/** What the response checks read of the headers: a fetch `Headers` or node:http's, behind one `get`. */
export interface ResponseHeaders {
  get(name: string): string | null;
}

export interface RawResponse {
  status: number;
  headers: ResponseHeaders;
  body: string;
}

export interface PostJsonOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Where it went, already redacted, for error messages. */
  target: string;
  /** The option that holds the URL (`webhookUrl`, `baseUrl`), named when the URL redirects. */
  option: string;
}

/**
 * One POST, no retries: ky's own retry is off because it never retries POST by default and we want
 * one policy for every channel, core `retry()`. Network errors and timeouts become retryable
 * NotifyErrors whose message and cause never carry the URL (ky's errors do). A redirect is a
 * permanent `ConfigError`: Slack never redirects, so the URL is wrong and retrying cannot help.
 */
export async function postJson(
  url: string,
  payload: unknown,
  options: PostJsonOptions,
): Promise<RawResponse> {
  try {
    const response = await ky.post(url, {
      json: payload,
      retry: 0,
      timeout: options.timeoutMs,
      throwHttpErrors: false,
      signal: options.signal,
      headers: options.headers,
      // A redirect could point a tenant's webhook at an internal host; Slack never redirects. It is
      // not followed ('manual'), and seen as the 3xx it is instead of undici's "fetch failed".
      redirect: 'manual',
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      await response.body?.cancel().catch(() => {});
      // The Location is left out: it may carry the same secret as the URL.
      throw new ConfigError(`Refused ${options.option}`, [
        {
          path: options.option,
          message: `the URL redirects (HTTP ${response.status || 'redirect'}); Slack never redirects, so check the URL (${options.target})`,
        },
      ]);
    }
    return { status: response.status, headers: response.headers, body: await response.text() };
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    if (options.signal?.aborted) {
      throw new NotifyError('The operation was aborted', { code: 'aborted' });
    }
    if (isTimeoutError(error)) {
      throw new NotifyError(`Slack did not answer within ${options.timeoutMs} ms (${options.target})`, {
        code: 'timeout',
        retryable: true,
      });
    }
    const code = findCode(error);
    if (code || isFetchFailure(error)) {
      throw new NotifyError(`Slack connection failed${code ? ` (${code})` : ''} (${options.target})`, {
        code: 'transient',
        retryable: true,
      });
    }
    // Anything else is not the network: a bug or a broken runtime. Retrying it would only hide it,
    // so it fails at once and keeps its cause, unless the cause quotes the URL (ky's errors do).
    const quotesUrl = error instanceof Error && String(error.message).includes(new URL(url).pathname);
    throw new NotifyError(`Slack request failed (${options.target}): ${nameOf(error)}`, {
      code: 'permanent',
      cause: quotesUrl ? undefined : error,
    });
  }
}

// undici rejects a request that never got a response with `TypeError('fetch failed')`, the cause
// holding the socket error.
function isFetchFailure(error: unknown): boolean {
  return error instanceof TypeError && error.message === 'fetch failed';
}

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

// The system error code (ECONNREFUSED, ECONNRESET, ...) is useful and carries no secret.
function findCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
  }
  return undefined;
}
