import { Hono } from 'hono';
import { ApiError } from '../api-error.js';
import type { DigestView } from '../api-types.js';
import type { CheckedConsoleOptions } from '../console-options.js';
import { assertMaySee } from '../operator-scope.js';
import type { ConsoleEnv } from './console-env.js';

/** `GET digests/:org/:digestId`: a storm digest and the alerts folded into it. */
export function digestRoute({ source }: CheckedConsoleOptions) {
  return new Hono<ConsoleEnv>().get('/digests/:org/:digestId', async (c) => {
    const organizationId = c.req.param('org');
    assertMaySee(c.get('operator'), organizationId);
    const digest = source.digest && (await source.digest(organizationId, c.req.param('digestId')));
    if (!digest || digest.organizationId !== organizationId)
      throw new ApiError(404, 'not_found', 'No such digest in this console');
    const body: DigestView = {
      ...digest,
      alerts: digest.alerts.filter((alert) => alert.organizationId === organizationId),
    };
    return c.json(body);
  });
}
