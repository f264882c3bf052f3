import { Hono } from 'hono';
import type { OperatorInfo } from '../api-types.js';
import type { CheckedConsoleOptions } from '../console-options.js';
import type { ConsoleEnv } from './console-env.js';

/** `GET operator`: the page shows who is signed in and offers actions only when there is an `onAction`. */
export function operatorRoute({ onAction }: CheckedConsoleOptions) {
  return new Hono<ConsoleEnv>().get('/operator', (c) => {
    const { id, name } = c.get('operator');
    const body: OperatorInfo = { id, ...(name !== undefined ? { name } : {}), actionsEnabled: !!onAction };
    return c.json(body);
  });
}
