import {
  ConfigError,
  formatZodIssues,
  MAX_TIMER_MS,
  numberOption,
  retryOptionsSchema,
  SEVERITIES,
} from '@pytake/notify-core';
import { z } from 'zod';

const fn = z
  .any()
  .refine((v) => typeof v === 'function', { message: 'expected a function' })
  .optional();

// `false` turns the limiter off. Not a zod union: its error would hide which field was wrong.
const rateLimitSchema = z.preprocess(
  (v) => (v === false ? undefined : v),
  z
    .object({
      perSecond: numberOption({ min: 0, max: 1000, aboveMin: true }),
      burst: numberOption({ min: 1, max: 1000, integer: true }),
      priorityAtOrAbove: z
        .union([z.enum(SEVERITIES), z.literal(false)], {
          error: `expected one of ${SEVERITIES.map((s) => `'${s}'`).join(', ')} or false`,
        })
        .optional(),
    })
    .loose()
    .optional(),
);

/** The options both channels share; checked when the channel is created. */
export const channelOptionsSchema = z
  .object({
    timeoutMs: numberOption({ min: 1, max: MAX_TIMER_MS, unit: 'milliseconds' }),
    retry: retryOptionsSchema,
    rateLimit: rateLimitSchema,
    allowedHosts: z.array(z.string()).optional(),
    now: fn,
    fetch: fn,
  })
  .loose();

/**
 * Checks every numeric (and function) option when a channel is created, so that `timeoutMs: -1`,
 * `perSecond: 0` or `NaN` fail at start-up with a `ConfigError` that names the option and echoes
 * the value, rather than at 3 a.m. on the first alert (or never, sending without a limit).
 */
export function checkChannelOptions(summary: string, options: unknown): void {
  const result = channelOptionsSchema.safeParse(options ?? {}, { reportInput: true });
  if (!result.success) throw new ConfigError(summary, formatZodIssues(result.error));
}
