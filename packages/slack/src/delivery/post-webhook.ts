import { type Agent, request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { NotifyError } from '@pytake/notify-core';
import { httpFailure } from './http-failure.js';
import type { RawResponse, ResponseHeaders } from './raw-response.js';

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
 * The guarantees: redirects are never followed (node:http does not follow them; the 3xx is returned
 * like any status, and `httpFailure` makes it a `ConfigError` without reading its `Location`); the
 * attempt ends after `timeoutMs` whatever the server does (a hung server's socket is destroyed, not
 * returned to the agent); network errors and timeouts become retryable NotifyErrors by
 * `httpFailure`, naming the redacted target and the system code (ECONNRESET), never the URL path,
 * which is a credential.
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
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => {
            if (text.length < MAX_WEBHOOK_BODY) text += chunk.slice(0, MAX_WEBHOOK_BODY - text.length);
          });
          response.on('end', () => finish(undefined, { status, headers: headersOf(response), body: text }));
          response.on('error', (error) =>
            finish(httpFailure({ target: to.target, thrown: error, connection: true })),
          );
          // Closed before the whole body came: the server or the network went away (a no-op after 'end').
          response.on('close', () => {
            if (!response.complete)
              finish(httpFailure({ target: to.target, thrown: reset(), connection: true }));
          });
        },
      );
    } catch (error) {
      // Not the network: a bad agent or a broken runtime (`httpFailure` fails it at once).
      finish(httpFailure({ target: to.target, thrown: error }));
      return;
    }
    req.on('error', (error) => {
      if (settled) return;
      if (signal?.aborted) finish(aborted());
      else finish(httpFailure({ target: to.target, thrown: error, connection: true }));
    });
    // One timer for the whole attempt (connect, send, wait, read), not a socket idle timeout that
    // a server trickling one byte a second would keep resetting.
    timer = setTimeout(() => {
      finish(httpFailure({ target: to.target, timedOutAfterMs: options.timeoutMs }));
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

// What a socket closed in the middle of a response amounts to.
const reset = () =>
  Object.assign(new Error('socket closed before the end of the response'), { code: 'ECONNRESET' });
