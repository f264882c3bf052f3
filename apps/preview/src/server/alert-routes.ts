import { Hono } from 'hono';
import type { AlertStore } from './alert-store.js';
import { ApiError } from './api-error.js';

/**
 * The app's alert state, which the Slack view shows: `GET /api/alerts` (most recently updated first)
 * and `GET /api/alerts/:id` (with its timeline and last event). The console is `/console`.
 */
export function alertRoutes(store: AlertStore): Hono {
  const app = new Hono();
  app.get('/api/alerts', (c) => c.json(store.list()));
  app.get('/api/alerts/:id', (c) => {
    const id = c.req.param('id');
    const alert = store.get(id);
    if (!alert) {
      throw new ApiError(
        404,
        'not_found',
        `No alert ${JSON.stringify(id)} (the app keeps the last alerts in memory only)`,
      );
    }
    return c.json({ ...alert, lastEvent: store.lastEvent(id)?.event ?? null });
  });
  return app;
}
