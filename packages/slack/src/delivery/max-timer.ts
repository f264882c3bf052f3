/**
 * The longest delay `setTimeout` takes: 2^31 - 1 ms (about 24.8 days). Node turns anything longer
 * into 1 ms with a TimeoutOverflowWarning, so a wait loop fed a longer delay spins. Every wait in
 * this package is clamped to it, and every option that sets a wait is checked against it.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** `ms` as a delay that `setTimeout` honours: a whole number from 0 to `MAX_TIMER_MS`. */
export function clampTimer(ms: number): number {
  if (!(ms > 0)) return 0;
  return Math.min(Math.ceil(ms), MAX_TIMER_MS);
}
