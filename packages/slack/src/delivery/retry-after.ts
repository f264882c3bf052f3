import { timerDelay } from '@pytake/notify-core';

/**
 * Reads `Retry-After` (delay seconds or an HTTP date) as milliseconds from `nowMs`, at most
 * 2^31 - 1 ms (core's `timerDelay`) so that whoever waits for it with a timer gets the wait it asked for.
 * Undefined when absent or unreadable, so that backoff decides instead.
 */
export function parseRetryAfter(
  header: string | null | undefined,
  nowMs: number = Date.now(),
): number | undefined {
  if (!header) return undefined;
  const trimmed = header.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return timerDelay(Math.round(Number(trimmed) * 1000));
  const at = Date.parse(trimmed);
  return Number.isNaN(at) ? undefined : timerDelay(at - nowMs);
}
