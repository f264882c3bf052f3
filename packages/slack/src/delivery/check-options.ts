import { ConfigError, formatZodIssues } from '@pytake/notify-core';
import { z } from 'zod';
import { MAX_TIMER_MS } from './max-timer.js';

interface Range {
  min: number;
  max: number;
  integer?: boolean;
  /** `min` itself is refused (a rate of 0 would never let a message go). */
  aboveMin?: boolean;
  unit?: string;
}

// One message shape for every numeric option, echoing the bad value: "timeoutMs: expected a number
// of milliseconds from 1 to 2147483647, got -1". zod's own messages would say "expected number" for
// NaN and ">= 0" for an exclusive minimum.
const numberIn = ({ min, max, integer = false, aboveMin = false, unit }: Range) =>
  z
    .any()
    .refine(
      (v) =>
        typeof v === 'number' &&
        Number.isFinite(v) &&
        (aboveMin ? v > min : v >= min) &&
        v <= max &&
        (!integer || Number.isInteger(v)),
      {
        message: `expected ${integer ? 'an integer' : 'a number'}${unit ? ` of ${unit}` : ''} ${
          aboveMin ? `above ${min} and at most ${max}` : `from ${min} to ${max}`
        }`,
      },
    )
    .optional();

const fn = z
  .any()
  .refine((v) => typeof v === 'function', { message: 'expected a function' })
  .optional();

/** `retry` of either channel: core's RetryOptions, whose waits must fit a timer. */
const retrySchema = z
  .object({
    maxAttempts: numberIn({ min: 1, max: 100, integer: true }),
    maxRetryAfterMs: numberIn({ min: 0, max: MAX_TIMER_MS, unit: 'milliseconds' }),
    baseDelayMs: numberIn({ min: 0, max: MAX_TIMER_MS, unit: 'milliseconds' }),
    maxDelayMs: numberIn({ min: 0, max: MAX_TIMER_MS, unit: 'milliseconds' }),
    factor: numberIn({ min: 1, max: 100 }),
    jitter: z.enum(['full', 'none']).optional(),
    random: fn,
    sleep: fn,
    onRetry: fn,
  })
  .loose()
  .optional();

// `false` turns the limiter off. Not a zod union: its error would hide which field was wrong.
const rateLimitSchema = z.preprocess(
  (v) => (v === false ? undefined : v),
  z
    .object({
      perSecond: numberIn({ min: 0, max: 1000, aboveMin: true }),
      burst: numberIn({ min: 1, max: 1000, integer: true }),
    })
    .loose()
    .optional(),
);

/** The options both channels share; checked when the channel is created. */
export const channelOptionsSchema = z
  .object({
    timeoutMs: numberIn({ min: 1, max: MAX_TIMER_MS, unit: 'milliseconds' }),
    retry: retrySchema,
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
