import { Hono } from 'hono';
import { ApiError } from './api-error.js';
import type { QueueMode } from './queue-mode.js';

/**
 * `GET /api/queue`: `{ enabled: false }`, or with `REDIS_URL` the counts per state and the dead
 * letters with their last errors; `POST /api/queue/dead-letters/:id/retry` puts one back.
 */
export function queueRoutes(queue: () => QueueMode | undefined): Hono {
  const app = new Hono();
  app.get('/api/queue', async (c) => {
    const q = queue();
    if (!q) return c.json({ enabled: false });
    return c.json({ enabled: true, ...(await q.panel()) });
  });
  app.post('/api/queue/dead-letters/:id/retry', async (c) => {
    const q = queue();
    if (!q) throw new ApiError(409, 'queue_off', 'The queue is off: start the app with REDIS_URL set');
    const id = c.req.param('id');
    if (!(await q.retry(id))) throw new ApiError(404, 'not_found', `No dead letter ${JSON.stringify(id)}`);
    return c.json({ retried: id });
  });
  return app;
}
