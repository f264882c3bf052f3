import { Hono } from 'hono';
import { ApiError } from '../api-error.js';
import type { CheckedConsoleOptions } from '../console-options.js';
import { loadUiAssets, type UiAssets } from '../ui-assets.js';
import type { ConsoleEnv } from './console-env.js';

/**
 * The page forbids what it never needs: scripts, styles and requests from anywhere but the console
 * itself, inline scripts, and being framed by another site.
 */
const contentSecurityPolicy = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The UI: the page at `${basePath}/` (a redirect from `${basePath}`, so that its relative asset URLs
 * resolve under the base path) and its hashed files under `assets/`, cached for a year since a new
 * build names them anew. The page itself is revalidated on every load.
 */
export function uiRoute({ basePath }: CheckedConsoleOptions) {
  let assets: UiAssets | undefined;
  const load = () => {
    assets ??= loadUiAssets(basePath);
    if (!assets)
      throw new ApiError(503, 'ui_not_built', 'The console UI is not built: run the package build');
    return assets;
  };
  const app = new Hono<ConsoleEnv>();
  if (basePath !== '') app.get(basePath, (c) => c.redirect(`${basePath}/`, 308));
  return app
    .get(`${basePath}/`, (c) => {
      c.header('cache-control', 'no-cache');
      c.header('content-security-policy', contentSecurityPolicy);
      c.header('x-frame-options', 'DENY');
      return c.html(load().indexHtml);
    })
    .get(`${basePath}/assets/:name`, (c) => {
      const file = load().files.get(`assets/${c.req.param('name')}`);
      if (!file) throw new ApiError(404, 'not_found', 'No such file');
      c.header('cache-control', 'public, max-age=31536000, immutable');
      c.header('content-type', file.contentType);
      return c.body(file.body as Uint8Array<ArrayBuffer>);
    });
}
