import { ALERT_STATUSES, SEVERITIES } from '@pytake/notify-core';
import { Hono } from 'hono';
import type { AlertFilter, AlertStore } from './alert-store.js';
import { ApiError } from './api-error.js';

const statuses = [...ALERT_STATUSES, 'stale'] as const;

/** Reads `?severity=&status=&organization=&q=`, naming the parameter that holds a value it does not know. */
export function parseAlertFilter(query: Record<string, string | undefined>): AlertFilter {
  const filter: AlertFilter = {};
  const pick = <T extends string>(name: string, choices: readonly T[]): T | undefined => {
    const value = query[name];
    if (value === undefined || value === '') return undefined;
    if (!(choices as readonly string[]).includes(value)) {
      throw new ApiError(400, 'validation', `Invalid alert filter`, [
        { path: name, message: `expected one of ${choices.join(', ')}, got ${JSON.stringify(value)}` },
      ]);
    }
    return value as T;
  };
  const severity = pick('severity', SEVERITIES);
  const status = pick('status', statuses);
  if (severity) filter.severity = severity;
  if (status) filter.status = status;
  if (query.organization) filter.organization = query.organization;
  if (query.q?.trim()) filter.q = query.q.slice(0, 200);
  return filter;
}

/** `GET /api/alerts` (newest first, filtered) and `GET /api/alerts/:id` (with its timeline). */
export function alertRoutes(store: AlertStore): Hono {
  const app = new Hono();
  app.get('/api/alerts', (c) => c.json(store.list(parseAlertFilter(c.req.query()))));
  app.get('/api/alerts/:id', (c) => {
    const id = c.req.param('id');
    const alert = store.get(id);
    if (!alert) {
      throw new ApiError(
        404,
        'not_found',
        `No alert ${JSON.stringify(id)} in the console (it keeps the last alerts in memory only)`,
      );
    }
    return c.json({ ...alert, lastEvent: store.lastEvent(id)?.event ?? null });
  });
  return app;
}
