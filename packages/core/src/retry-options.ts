import { z } from 'zod';
import { numberOption } from './number-option.js';
import { MAX_TIMER_MS } from './sleep.js';

const fn = z
  .any()
  .refine((v) => typeof v === 'function', { message: 'expected a function' })
  .optional();

const ms = (min: number) => numberOption({ min, max: MAX_TIMER_MS, unit: 'milliseconds' });

/**
 * The `retry` option of every channel: core's `RetryOptions`, checked when the channel is created.
 * Every wait must fit a timer (2^31 - 1 ms; Node turns more into 1 ms and a retry loop would spin),
 * and attempts are whole. Parse with `{ reportInput: true }` and `formatZodIssues()` for messages
 * that name the field: "retry.maxAttempts: expected an integer from 1 to 100, got 2.5".
 */
export const retryOptionsSchema = z
  .object({
    maxAttempts: numberOption({ min: 1, max: 100, integer: true }),
    maxRetryAfterMs: ms(0),
    baseDelayMs: ms(0),
    maxDelayMs: ms(0),
    factor: numberOption({ min: 1, max: 100 }),
    jitter: z.enum(['full', 'none']).optional(),
    random: fn,
    sleep: fn,
    onRetry: fn,
  })
  .loose()
  .optional();
