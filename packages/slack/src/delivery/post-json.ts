import { NotifyError } from '@pytake/notify-core';
import ky, { isTimeoutError } from 'ky';
import { httpFailure } from './http-failure.js';
import type { RawResponse } from './raw-response.js';

export interface PostJsonOptions {
  timeoutMs: number;
  signal?: AbortSignal;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  /** Where it went, already redacted, for error messages. */
  target: string;
}

/**
 * One POST, no retries: ky's own retry is off because it never retries POST by default and we want
 * one policy for every channel, core `retry()`. Any status is returned as it is, for the caller's
 * check (`httpFailure` reads a redirect as a ConfigError). Network errors and timeouts become
 * NotifyErrors by `httpFailure`, whose message and cause never carry the URL (ky's errors do).
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
    return { status: response.status, headers: response.headers, body: await response.text() };
  } catch (error) {
    if (options.signal?.aborted) {
      throw new NotifyError('The operation was aborted', { code: 'aborted' });
    }
    if (isTimeoutError(error))
      throw httpFailure({ target: options.target, timedOutAfterMs: options.timeoutMs });
    throw httpFailure({ target: options.target, thrown: error });
  }
}
