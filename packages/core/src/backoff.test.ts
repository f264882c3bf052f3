import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDefaults, backoffDelay } from './backoff.js';

describe('backoffDelay()', () => {
  it('waits exactly 1 s, 2 s, 4 s after attempts 1, 2, 3 without jitter', () => {
    expect([1, 2, 3].map((attempt) => backoffDelay(attempt, { jitter: 'none' }))).toEqual([1000, 2000, 4000]);
  });

  it('caps the delay at maxDelayMs', () => {
    expect(backoffDelay(10, { jitter: 'none' })).toBe(backoffDefaults.maxDelayMs);
    expect(backoffDelay(4, { jitter: 'none', maxDelayMs: 5000 })).toBe(5000);
    expect(backoffDelay(1000, { jitter: 'none' })).toBe(30_000);
  });

  it('follows baseDelayMs and factor', () => {
    expect(
      [1, 2, 3].map((attempt) => backoffDelay(attempt, { jitter: 'none', baseDelayMs: 100, factor: 3 })),
    ).toEqual([100, 300, 900]);
  });

  it('uses full jitter by default: random · delay', () => {
    expect(backoffDelay(3, { random: () => 0.5 })).toBe(2000);
    expect(backoffDelay(3, { random: () => 0 })).toBe(0);
  });

  it('keeps full jitter within [0, delay] and under maxDelayMs for any attempt and randomness', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 120_000 }),
        (attempt, r, baseDelayMs, maxDelayMs) => {
          const ceiling = backoffDelay(attempt, { jitter: 'none', baseDelayMs, maxDelayMs });
          const delay = backoffDelay(attempt, { baseDelayMs, maxDelayMs, random: () => r });
          expect(ceiling).toBeLessThanOrEqual(maxDelayMs);
          expect(delay).toBeGreaterThanOrEqual(0);
          expect(delay).toBeLessThanOrEqual(ceiling);
          expect(Number.isInteger(delay)).toBe(true);
        },
      ),
    );
  });
});
