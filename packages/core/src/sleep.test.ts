import { describe, expect, it } from 'vitest';
import { MAX_TIMER_MS, sleep, timerDelay } from './sleep.js';

describe('sleep()', () => {
  it('resolves after the wait', async () => {
    await expect(sleep(1)).resolves.toBeUndefined();
  });

  it('rejects with aborted as soon as the signal aborts', async () => {
    const controller = new AbortController();
    const pending = sleep(60_000, controller.signal);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'aborted' });
  });

  it('rejects at once for a signal already aborted', async () => {
    await expect(sleep(60_000, AbortSignal.abort())).rejects.toMatchObject({ code: 'aborted' });
  });
});

describe('sleep() and long waits', () => {
  it('clamps a wait beyond 2^31 - 1 ms instead of firing after 1 ms', async () => {
    // Node turns a setTimeout above 2^31 - 1 ms into 1 ms: unclamped, this sleep would win the race.
    const controller = new AbortController();
    const long = sleep(2 ** 32, controller.signal).then(() => 'slept');
    const short = new Promise((resolve) => setTimeout(resolve, 50, 'timer'));
    expect(await Promise.race([long, short])).toBe('timer');
    controller.abort();
    await expect(long).rejects.toMatchObject({ code: 'aborted' });
  });

  it('treats NaN and negative waits as 0', async () => {
    await expect(sleep(Number.NaN)).resolves.toBeUndefined();
    await expect(sleep(-5)).resolves.toBeUndefined();
  });
});

describe('timerDelay()', () => {
  it('keeps every delay within what a timer can hold', () => {
    expect(timerDelay(2 ** 31)).toBe(MAX_TIMER_MS);
    expect(timerDelay(Number.POSITIVE_INFINITY)).toBe(MAX_TIMER_MS);
    expect(timerDelay(1500)).toBe(1500);
    expect(timerDelay(Number.NaN)).toBe(0);
  });
});
