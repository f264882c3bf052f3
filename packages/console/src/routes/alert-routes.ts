import { Hono } from 'hono';
import { ApiError } from '../api-error.js';
import type { AlertPage } from '../api-types.js';
import type { CheckedConsoleOptions } from '../console-options.js';
import { assertMaySee, maySee, scopeOrganizations } from '../operator-scope.js';
import { parseAlertQuery } from '../parse-alert-query.js';
import type { ConsoleEnv } from './console-env.js';

/** `GET alerts` (the list, one page) and `GET alerts/:org/:id` (an alert's page). */
export function alertRoutes({ source }: CheckedConsoleOptions) {
  return new Hono<ConsoleEnv>()
    .get('/alerts', async (c) => {
      const operator = c.get('operator');
      const query = parseAlertQuery(new URL(c.req.url).searchParams);
      const organizationIds = scopeOrganizations(operator, query.organizationIds);
      const page = await source.listAlerts({ ...query, organizationIds });
      // The source was asked for the operator's organizations only; checked again, so that a source
      // that ignores the filter still shows nothing it should not.
      const body: AlertPage = {
        ...page,
        alerts: page.alerts.filter((a) => maySee(operator, a.organizationId)),
      };
      return c.json(body);
    })
    .get('/alerts/:org/:id', async (c) => {
      const organizationId = c.req.param('org');
      assertMaySee(c.get('operator'), organizationId);
      const alert = await source.getAlert(organizationId, c.req.param('id'));
      if (!alert || alert.organizationId !== organizationId)
        throw new ApiError(404, 'not_found', 'No such alert in this console');
      return c.json(alert);
    });
}
