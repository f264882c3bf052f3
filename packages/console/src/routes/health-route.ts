import { Hono } from 'hono';
import type { CheckedConsoleOptions } from '../console-options.js';
import { maySee } from '../operator-scope.js';
import type { ConsoleEnv } from './console-env.js';

/** `GET health`: delivered, failed and dead counts per organization the operator may see. */
export function healthRoute({ source }: CheckedConsoleOptions) {
  return new Hono<ConsoleEnv>().get('/health', async (c) => {
    const operator = c.get('operator');
    const health = await source.health(operator.organizations);
    return c.json({ organizations: health.filter((h) => maySee(operator, h.organizationId)) });
  });
}
