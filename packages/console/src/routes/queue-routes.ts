import { Hono } from 'hono';
import { ApiError } from '../api-error.js';
import type { QueueOverview, RetryAllResult } from '../api-types.js';
import type { CheckedConsoleOptions } from '../console-options.js';
import { maySee } from '../operator-scope.js';
import type { ConsoleEnv } from './console-env.js';
import { postGuard } from './post-guard.js';

const noQueue = () => new ApiError(501, 'no_queue', 'This console has no queue to show');

/**
 * `GET queue` (job counts and dead letters), `POST dead-letters/:id/retry` and
 * `POST dead-letters/retry-all`, when the source has a queue. Retries pass `postGuard` as actions do,
 * and an operator limited to some organizations sees and retries only their dead letters: another's
 * is a 404, as one that does not exist.
 */
export function queueRoutes({ source, allowedOrigins }: CheckedConsoleOptions) {
  return new Hono<ConsoleEnv>()
    .get('/queue', async (c) => {
      if (!source.queue) throw noQueue();
      const operator = c.get('operator');
      const overview = await source.queue(operator.organizations);
      // Asked for the operator's organizations only; checked again, as the alert list is.
      const body: QueueOverview = {
        ...(operator.organizations === undefined && overview.counts ? { counts: overview.counts } : {}),
        ...(overview.holds && {
          holds: overview.holds.filter((hold) => maySee(operator, hold.organizationId)),
        }),
        deadLetters: overview.deadLetters.filter(
          (letter) =>
            operator.organizations === undefined ||
            (letter.organizationId !== undefined && maySee(operator, letter.organizationId)),
        ),
      };
      return c.json(body);
    })
    .post('/dead-letters/retry-all', postGuard(allowedOrigins), async (c) => {
      if (!source.retryAllDeadLetters) throw noQueue();
      const body: RetryAllResult = {
        retried: await source.retryAllDeadLetters(c.get('operator').organizations),
      };
      return c.json(body);
    })
    .post('/dead-letters/:id/retry', postGuard(allowedOrigins), async (c) => {
      if (!source.retryDeadLetter) throw noQueue();
      const id = c.req.param('id');
      if (!(await source.retryDeadLetter(id, c.get('operator').organizations)))
        throw new ApiError(404, 'not_found', 'No such dead letter in this console');
      return c.json({ ok: true });
    });
}
