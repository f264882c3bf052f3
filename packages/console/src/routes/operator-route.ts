import { Hono } from 'hono';
import type { OperatorInfo } from '../api-types.js';
import type { CheckedConsoleOptions } from '../console-options.js';
import type { ConsoleEnv } from './console-env.js';

/**
 * `GET operator`: the page shows who is signed in, offers actions only when there is an `onAction`,
 * and its Queue view only when the source has a queue.
 */
export function operatorRoute({ onAction, source }: CheckedConsoleOptions) {
  return new Hono<ConsoleEnv>().get('/operator', (c) => {
    const { id, name } = c.get('operator');
    const body: OperatorInfo = {
      id,
      ...(name !== undefined ? { name } : {}),
      actionsEnabled: !!onAction,
      queueEnabled: !!source.queue,
    };
    return c.json(body);
  });
}
