import { z } from 'zod';

const BOOLEANS: Readonly<Record<string, boolean>> = {
  true: true,
  false: false,
  '1': true,
  '0': false,
  yes: true,
  no: false,
};

/**
 * Reads an environment flag: true/false/1/0/yes/no in any case, around spaces. `undefined` for anything
 * else (including unset), so the caller decides between a default and an error.
 */
export function parseEnvBoolean(value: string | undefined): boolean | undefined {
  // `typeof`: a caller in plain JavaScript may pass a number or null; that is not a flag either.
  if (typeof value !== 'string') return undefined;
  const key = value.trim().toLowerCase();
  // Own properties only: `BOOLEANS['__proto__']` or `['constructor']` would return an object or a function.
  return Object.hasOwn(BOOLEANS, key) ? BOOLEANS[key] : undefined;
}

// `.env` files often leave a variable empty (`SLACK_ENABLED=`): that means "not set", not "empty string".
const unsetIfEmpty = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * A zod schema for a boolean environment variable: true/false/1/0/yes/no in any case; unset or empty
 * gives `fallback`; anything else is an issue that says what is expected.
 */
export const envBoolean = (fallback: boolean) =>
  z.preprocess(
    unsetIfEmpty,
    z
      .string()
      .refine((v) => parseEnvBoolean(v) !== undefined, {
        message: 'expected true, false, 1, 0, yes or no (any case)',
      })
      .transform((v) => parseEnvBoolean(v) as boolean)
      .optional()
      .transform((v) => v ?? fallback),
  );
