import type { Operator } from '../api-types.js';

/** What every route finds on its context: the operator `authorize` returned. */
export interface ConsoleEnv {
  Variables: { operator: Operator };
}
