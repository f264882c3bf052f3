import type { IncomingMessage, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { isNotifyError } from '@pytake/notify-core';
import { Hono } from 'hono';
import { ApiError } from './api-error.js';
import { type ConsoleOptions, checkConsoleOptions } from './console-options.js';
import { actionRoute } from './routes/action-route.js';
import { alertRoutes } from './routes/alert-routes.js';
import type { ConsoleEnv } from './routes/console-env.js';
import { digestRoute } from './routes/digest-route.js';
import { healthRoute } from './routes/health-route.js';
import { liveRoute } from './routes/live-route.js';
import { operatorRoute } from './routes/operator-route.js';
import { queueRoutes } from './routes/queue-routes.js';
import { uiRoute } from './routes/ui-route.js';

/** The mounted console: one handler, in the two shapes servers take. */
export interface OperatorConsole {
  /** A fetch-style handler: Hono, Bun, Deno, Cloudflare, Next.js route handlers, ... */
  fetch(request: Request): Promise<Response>;
  /** A node:http listener, also Express middleware (`app.use(console.node)`). */
  node(req: IncomingMessage, res: ServerResponse): void;
}

/**
 * The operator console, mounted by a service under `basePath`: the UI at `${basePath}/`, the JSON
 * API under `${basePath}/api/` and the live channel at `${basePath}/api/live`. Every request goes
 * through `authorize` first (401 without an operator), and every answer holds only the operator's
 * organizations. Throws a ConfigError for bad options, `authorize` left out above all.
 * @example
 * ```ts
 * import { createServer } from 'node:http';
 * import { createConsole, createInProcessSource } from '@pytake/notify-console';
 *
 * const source = createInProcessSource(); // also the notifier's `onDelivery: source.record`
 * const opsConsole = createConsole({
 *   source,
 *   authorize: async (request) =>
 *     request.headers.get('authorization') === `Bearer ${process.env.CONSOLE_TOKEN}` ? { id: 'ana' } : undefined,
 * });
 * createServer(opsConsole.node).listen(3000);
 * ```
 */
export function createConsole(options: ConsoleOptions): OperatorConsole {
  const checked = checkConsoleOptions(options);
  const { authorize, basePath, onError } = checked;
  const api = new Hono<ConsoleEnv>()
    .route('/', alertRoutes(checked))
    .route('/', healthRoute(checked))
    .route('/', liveRoute(checked))
    .route('/', actionRoute(checked))
    .route('/', queueRoutes(checked))
    .route('/', digestRoute(checked))
    .route('/', operatorRoute(checked));

  const app = new Hono<ConsoleEnv>();
  app.use(`${basePath}/*`, async (c, next) => {
    const operator = await authorize(c.req.raw);
    if (!operator) throw new ApiError(401, 'unauthorized', 'Sign in to use the console');
    c.set('operator', operator);
    await next();
  });
  app.route(`${basePath}/api`, api);
  app.route('/', uiRoute(checked));
  app.notFound(() => Response.json(new ApiError(404, 'not_found', 'Not found').toJSON(), { status: 404 }));
  app.onError((error) => {
    if (error instanceof ApiError) return Response.json(error.toJSON(), { status: error.status });
    if (isNotifyError(error) && error.code === 'validation')
      return Response.json(new ApiError(400, 'invalid_request', error.message).toJSON(), { status: 400 });
    onError(error);
    return Response.json(new ApiError(500, 'internal', 'The console could not answer').toJSON(), {
      status: 500,
    });
  });

  const fetch = async (request: Request) => {
    const response = await app.fetch(request);
    // On every answer, errors included: no content sniffing, no URL of the console sent elsewhere,
    // and answers about alerts (the operator's own) never kept by a shared cache.
    response.headers.set('x-content-type-options', 'nosniff');
    response.headers.set('referrer-policy', 'no-referrer');
    if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
    return response;
  };
  const listener = getRequestListener(fetch);
  return {
    fetch,
    node(req, res) {
      // Express strips the mount path from `url`; the console routes on the full path.
      const original = (req as IncomingMessage & { originalUrl?: string }).originalUrl;
      if (original !== undefined) req.url = original;
      void listener(req, res);
    },
  };
}
