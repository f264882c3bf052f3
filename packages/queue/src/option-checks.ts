import { ConfigError } from '@pytake/notify-core';

// The checks of the queue's numeric options, for the producer and the worker alike: each names the
// option and echoes the bad value.

/** A count (jobs, attempts) must be whole: BullMQ would take 2.5 attempts as 3 and a concurrency of 2.5 as 2. */
export const count = (name: string, value: number | undefined, fallback: number) => {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 1)
    throw new ConfigError(`${name} must be an integer of at least 1, got ${value}`);
  return value;
};

/** A duration in milliseconds of at least `min`. */
export const ms = (name: string, value: number | undefined, fallback: number, min = 1) => {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < min)
    throw new ConfigError(`${name} must be a number of milliseconds of at least ${min}, got ${value}`);
  return value;
};

/** Any number greater than 0. */
export const positive = (name: string, value: number | undefined, fallback: number) => {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value <= 0)
    throw new ConfigError(`${name} must be a number greater than 0, got ${value}`);
  return value;
};
