import { ConfigError } from '@pytake/notify-core';
import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from './api-error.js';

/** Host names the app answers on without configuration, with any port. */
export const loopbackHosts: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The host name of a `Host` header value (`127.0.0.1:3000` → `127.0.0.1`, `[::1]:3000` → `[::1]`),
 * lower-cased; undefined when it is not a plain host with an optional port.
 */
export function hostnameOf(host: string): string | undefined {
  try {
    const url = new URL(`http://${host}`);
    if (url.username || url.password || url.pathname !== '/' || url.search || url.hash) return undefined;
    return url.hostname;
  } catch {
    return undefined;
  }
}

/**
 * Reads a list of extra host names (the `allowedHosts` option, or `PREVIEW_ALLOWED_HOSTS` split on
 * commas), each as it appears in a `Host` header without its port: `preview.internal`, `[fd00::1]`.
 */
export function parseAllowedHosts(names: readonly string[], option: string): string[] {
  return names
    .map((name) => name.trim())
    .filter((name) => name !== '')
    .map((name) => {
      const hostname = hostnameOf(name);
      if (hostname === undefined || hostname !== name.toLowerCase()) {
        throw new ConfigError(
          `${option} must hold host names without a port or scheme (e.g. preview.internal or [::1]), got '${name}'`,
        );
      }
      return hostname;
    });
}

/** The `Host` the request was sent to; `app.request()` in this process sends none and names its URL's. */
export const requestHost = (c: Context): string => c.req.header('host') ?? new URL(c.req.url).host;

/**
 * Answers 403 to a request whose `Host` is not loopback or one of `extra`, on every route. The app
 * has no auth and listens on loopback only, but a page of another site can still reach it through
 * DNS rebinding: its own name, resolved to 127.0.0.1, with the browser sending that name as `Host`.
 * Checking the name keeps such a page from reading `/api/config` (the signing secret) or the outbox.
 */
export function allowedHostsGuard(extra: readonly string[] = []): MiddlewareHandler {
  const allowed = new Set([...loopbackHosts, ...extra]);
  return async (c, next) => {
    const hostname = hostnameOf(requestHost(c));
    if (hostname === undefined || !allowed.has(hostname)) {
      throw new ApiError(
        403,
        'host_not_allowed',
        'This host name is not allowed: open the preview on localhost or 127.0.0.1, or add the name to allowedHosts (PREVIEW_ALLOWED_HOSTS)',
      );
    }
    await next();
  };
}
