import type { MiddlewareHandler } from 'hono';
import { requestHost } from './allowed-hosts.js';
import { ApiError } from './api-error.js';

const writeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * For requests that change state: an `Origin` header, when there is one, must be this app's own
 * (same host and port as the request's `Host`). Browsers send `Origin` on every cross-origin POST,
 * PUT, PATCH and DELETE, so a page of another site is refused here. Servers (Slack, and this app's own
 * channels posting to `/hooks/*` and `/slack/api/*`) send none and are not affected.
 */
export function sameOriginWrites(): MiddlewareHandler {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (writeMethods.has(c.req.method) && origin !== undefined && !isOriginOf(origin, requestHost(c))) {
      throw new ApiError(403, 'origin_not_allowed', 'Cross-origin requests may not change the preview');
    }
    await next();
  };
}

/**
 * For the browser API's requests that change state: the body must be declared
 * `application/json`, even when there is none (DELETE). A page of another site can post a form or
 * `text/plain` without asking, but a JSON content type needs a CORS preflight, which this app never
 * answers; so a request that carries it was sent by this app's own page or by a non-browser client.
 */
export function jsonWrites(): MiddlewareHandler {
  return async (c, next) => {
    if (writeMethods.has(c.req.method)) {
      const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json') {
        throw new ApiError(
          415,
          'unsupported_media_type',
          `${c.req.method} ${c.req.path} takes content-type: application/json`,
        );
      }
    }
    await next();
  };
}

function isOriginOf(origin: string, host: string): boolean {
  try {
    const url = new URL(origin);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') && url.host === new URL(`http://${host}`).host
    );
  } catch {
    // `Origin: null` (a sandboxed frame, a file) and anything unparsable.
    return false;
  }
}
