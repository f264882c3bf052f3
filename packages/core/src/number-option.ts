import { z } from 'zod';

/** What `numberOption()` accepts: a range, whether it must be whole, and a unit for the message. */
export interface NumberRange {
  min: number;
  max: number;
  integer?: boolean;
  /** `min` itself is refused (a rate of 0 would never let a message go). */
  aboveMin?: boolean;
  /** Named in the message: "expected a number of milliseconds from 0 to 2147483647". */
  unit?: string;
}

/**
 * An optional numeric option, with one message shape for every package, echoing the bad value once
 * parsed with `{ reportInput: true }`: "timeoutMs: expected a number of milliseconds from 1 to
 * 2147483647, got -1". zod's own messages would say "expected number" for NaN and `>= 0` for an
 * exclusive minimum, and NaN slips through arithmetic silently (a NaN delay waits nothing).
 */
export const numberOption = ({ min, max, integer = false, aboveMin = false, unit }: NumberRange) =>
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
