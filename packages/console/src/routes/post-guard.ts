import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../api-error.js';
import { consoleDefaults, originOf } from '../console-options.js';
import type { ConsoleEnv } from './console-env.js';

/**
 * What every POST of the console (actions, retries) must pass, the way a browser's cross-site
 * request cannot:
 * - `Origin` must be the console's own (or an allowed one). Browsers send it on every POST, so a
 *   page of another site is refused, and a request without one is refused too.
 * - The body must be `application/json`: another site can post a form or `text/plain` without
 *   asking, but JSON needs a CORS preflight, which the console never answers.
 * - At most 16 KB, read no further.
 */
export function postGuard(allowedOrigins: ReadonlySet<string>): MiddlewareHandler<ConsoleEnv> {
  const bounded = bodyLimit({
    maxSize: consoleDefaults.maxBodyBytes,
    onError: () => {
      throw new ApiError(
        413,
        'body_too_large',
        `An action's body is at most ${consoleDefaults.maxBodyBytes} bytes`,
      );
    },
  });
  return async (c, next) => {
    const origin = c.req.header('origin');
    const own = originOf(c.req.url);
    if (origin === undefined || (origin !== own && !allowedOrigins.has(origin)))
      throw new ApiError(403, 'origin_not_allowed', 'Actions are taken from the console page only');
    const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
    if (type !== 'application/json')
      throw new ApiError(415, 'unsupported_media_type', 'Actions take content-type: application/json');
    await bounded(c, next);
  };
}
