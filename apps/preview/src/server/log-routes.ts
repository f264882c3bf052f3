import type { DeliveryRecord, DeliveryStats } from '@pytake/notify-core';
import { Hono } from 'hono';
import type { BoundedList } from './bounded-list.js';
import type { LiveEvents } from './live-events.js';
import type { PreviewMetrics } from './metrics.js';
import type { Outbox } from './outbox.js';

export interface LogRoutesOptions {
  outbox: Outbox;
  deliveries: BoundedList<DeliveryRecord>;
  stats: DeliveryStats;
  metrics: PreviewMetrics;
  live: LiveEvents;
}

/** What was sent: `GET/DELETE /api/outbox`, `GET /api/deliveries`, `GET /api/stats` and `GET /metrics`. */
export function logRoutes({ outbox, deliveries, stats, metrics, live }: LogRoutesOptions): Hono {
  const app = new Hono();
  app.get('/api/outbox', (c) => c.json(outbox.list()));
  app.delete('/api/outbox', (c) => {
    outbox.clear();
    live.publish({ type: 'outbox-cleared', data: null });
    return c.body(null, 204);
  });
  app.get('/api/deliveries', (c) => c.json(deliveries.list()));
  app.get('/api/stats', (c) => c.json(stats.snapshot()));
  app.get('/metrics', async (c) => {
    c.header('Content-Type', metrics.contentType);
    return c.body(await metrics.text());
  });
  return app;
}
