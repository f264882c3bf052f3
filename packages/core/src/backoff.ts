/** How `retry()` waits between attempts. */
export interface BackoffOptions {
  /** @default 1000 */
  baseDelayMs?: number;
  /** @default 2 */
  factor?: number;
  /** @default 30000 */
  maxDelayMs?: number;
  /**
   * `'full'` waits a random time in [0, delay] so that many clients failing together do not retry
   * together; `'none'` waits exactly 1 s, 2 s, 4 s, ...
   * @default 'full'
   */
  jitter?: 'full' | 'none';
  /** Source of randomness for jitter, in [0, 1). @default Math.random */
  random?: () => number;
}

/** The backoff `backoffDelay` uses for each option left out: 1 s doubling up to 30 s, full jitter. */
export const backoffDefaults = {
  baseDelayMs: 1000,
  factor: 2,
  maxDelayMs: 30_000,
  jitter: 'full',
} as const satisfies BackoffOptions;

/**
 * The wait after failed attempt number `attempt` (1-based): base · factor^(attempt-1), capped.
 * `backoffDelay(1, { jitter: 'none' })` is 1000.
 */
export function backoffDelay(attempt: number, options: BackoffOptions = {}): number {
  const base = options.baseDelayMs ?? backoffDefaults.baseDelayMs;
  const factor = options.factor ?? backoffDefaults.factor;
  const max = options.maxDelayMs ?? backoffDefaults.maxDelayMs;
  const delay = Math.min(max, base * factor ** (Math.max(1, attempt) - 1));
  if ((options.jitter ?? backoffDefaults.jitter) === 'none') return delay;
  return Math.floor((options.random ?? Math.random)() * delay);
}
