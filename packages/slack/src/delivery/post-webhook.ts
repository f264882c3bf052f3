import { type Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ConfigError, NotifyError } from '@pytake/notify-core';
import type { RawResponse, ResponseHeaders } from './post-json.js';

/** Where one webhook post goes: built once per webhook URL, reused by every post to it. */
export interface WebhookTarget {
  protocol: 'http:' | 'https:';
  /** Without the brackets of an IPv6 literal: what `net.connect` takes. */
  hostname: string;
  port: number;
  /** Path and query: the secret part of a webhook URL, sent only in the request line. */
  path: string;
  /** Redacted (`hooks.slack.com/…a1b2`), for messages. */
  target: string;
}

export interface PostWebhookOptions {
  agent: Agent;
  timeoutMs: number;
  signal?: AbortSignal;
  /** The option that holds the URL, named when the URL redirects. */
  option: string;
}

/**
 * The most of a response body kept. Slack's webhook answers are a short code (`ok`,
 * `invalid_payload`); anything longer is not Slack, and is read to the end (so that the connection
 * can be reused) but not kept, so a server streaming a large body cannot grow our memory.
 */
export const MAX_WEBHOOK_BODY = 1024;

const aborted = () => new NotifyError('The operation was aborted', { code: 'aborted' });

function headersOf(response: IncomingMessage): ResponseHeaders {
  return {
    get(name) {
      const value = response.headers[name.toLowerCase()];
      if (value === undefined) return null;
      return Array.isArray(value) ? value.join(', ') : value;
    },
  };
}

/**
 * One webhook POST with node:http(s) on a keep-alive agent, no retries (core `retry()` decides).
 * ky and fetch cost a Request, an AbortController and a stream body per post, which made the channel
 * post at half of @slack/webhook's rate; this is one `request()` and one timer.
 *
 * The guarantees: redirects are never followed (node:http does not follow them, and a 3xx is a
 * permanent `ConfigError`, since Slack never redirects and the `Location` may point a tenant's
 * webhook at an internal host); the attempt ends after `timeoutMs` whatever the server does (a hung
 * server's socket is destroyed, not returned to the agent); network errors and timeouts become
 * retryable NotifyErrors naming the redacted target and the system code (ECONNRESET), never the URL
 * path, which is a credential.
 */
export function postWebhook(
  to: WebhookTarget,
  body: string,
  options: PostWebhookOptions,
): Promise<RawResponse> {
  const { signal } = options;
  if (signal?.aborted) return Promise.reject(aborted());
  return new Promise<RawResponse>((resolve, reject) => {
    let settled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const finish = (error: unknown, response?: RawResponse) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      if (response) resolve(response);
      else reject(error);
    };
    const send = to.protocol === 'https:' ? httpsRequest : httpRequest;
    let req: ReturnType<typeof send>;
    try {
      req = send(
        {
          protocol: to.protocol,
          hostname: to.hostname,
          port: to.port,
          path: to.path,
          method: 'POST',
          agent: options.agent,
          headers: {
            'content-type': 'application/json; charset=utf-8',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          const status = response.statusCode ?? 0;
          if (status >= 300 && status < 400) {
            // Read to the end, so the connection goes back to the agent; the Location is never read:
            // it may carry the same secret as the URL.
            response.resume();
            finish(
              new ConfigError(`Refused ${options.option}`, [
                {
                  path: options.option,
                  message: `the URL redirects (HTTP ${status}); Slack never redirects, so check the URL (${to.target})`,
                },
              ]),
            );
            return;
          }
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            if (text.length < MAX_WEBHOOK_BODY) text += chunk.slice(0, MAX_WEBHOOK_BODY - text.length);
          });
          response.on('end', () => finish(undefined, { status, headers: headersOf(response), body: text }));
          response.on('error', (error) => finish(connectionError(to.target, findCode(error))));
          // Closed before the whole body came: the server or the network went away (a no-op after 'end').
          response.on('close', () => {
            if (!response.complete) finish(connectionError(to.target, 'ECONNRESET'));
          });
        },
      );
    } catch (error) {
      // Not the network: a bad agent or a broken runtime. Failing at once shows it; the cause is
      // left out, since node:http's messages may quote the request.
      finish(
        new NotifyError(
          `Slack request failed (${to.target}): ${error instanceof Error ? error.name : typeof error}`,
          { code: 'permanent' },
        ),
      );
      return;
    }
    req.on('error', (error) => {
      if (settled) return;
      if (signal?.aborted) finish(aborted());
      else finish(connectionError(to.target, findCode(error)));
    });
    // One timer for the whole attempt (connect, send, wait, read), not a socket idle timeout that
    // a server trickling one byte a second would keep resetting.
    timer = setTimeout(() => {
      finish(
        new NotifyError(`Slack did not answer within ${options.timeoutMs} ms (${to.target})`, {
          code: 'timeout',
          retryable: true,
        }),
      );
      // Destroyed, so the agent drops the socket instead of reusing a connection still owed an answer.
      req.destroy();
    }, options.timeoutMs);
    function onAbort() {
      finish(aborted());
      req.destroy();
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    req.end(body);
  });
}

function connectionError(target: string, code: string | undefined): NotifyError {
  return new NotifyError(`Slack connection failed${code ? ` (${code})` : ''} (${target})`, {
    code: 'transient',
    retryable: true,
  });
}

// The system error code (ECONNREFUSED, ECONNRESET, ...) is useful and carries no secret; the
// message is never quoted (it names the address, and a proxy's could name more).
function findCode(error: unknown): string | undefined {
  for (let e = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z_]+$/.test(code)) return code;
  }
  return undefined;
}
