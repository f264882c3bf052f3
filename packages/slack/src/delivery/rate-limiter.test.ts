import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

// A clock whose sleeps stay pending until the test moves time past them.
function manualClock() {
  let now = 0;
  const timers: { at: number; resolve: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: now + ms, resolve })),
    async advanceTo(t: number) {
      now = t;
      for (const timer of timers.splice(0)) {
        if (timer.at <= t) timer.resolve();
        else timers.push(timer);
      }
      for (let i = 0; i < 10; i++) await Promise.resolve();
    },
  };
}

describe('createRateLimiter', () => {
  describe('acquire()', () => {
    it('lets a burst through, then one per interval', async () => {
      const clock = manualClock();
      const limiter = createRateLimiter({ perSecond: 1, burst: 3 }, clock);
      const passed: number[] = [];
      for (let i = 0; i < 5; i++) void limiter.acquire('w').then(() => passed.push(i));
      await clock.advanceTo(0);
      expect(passed).toEqual([0, 1, 2]);
      await clock.advanceTo(1000);
      expect(passed).toEqual([0, 1, 2, 3]);
      await clock.advanceTo(2000);
      expect(passed).toEqual([0, 1, 2, 3, 4]);
    });

    it('forgets webhooks whose bucket has refilled, so memory follows the active ones', async () => {
      const clock = manualClock();
      const limiter = createRateLimiter({ perSecond: 1, burst: 5 }, clock);
      for (let i = 0; i < 1000; i++) await limiter.acquire(`https://hooks.slack.com/services/T/B/${i}`);
      expect(limiter.tracked()).toBe(1000);
      await clock.advanceTo(60_000);
      await limiter.acquire('https://hooks.slack.com/services/T/B/new');
      expect(limiter.tracked()).toBe(1);
    });

    it('keeps webhooks apart', async () => {
      const clock = manualClock();
      const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, clock);
      const passed: string[] = [];
      for (const key of ['a', 'a', 'b']) void limiter.acquire(key).then(() => passed.push(key));
      await clock.advanceTo(0);
      expect(passed).toEqual(['a', 'b']);
    });
  });

  describe('hold()', () => {
    it('holds messages that already had a slot until Retry-After has passed, then resumes one per interval', async () => {
      const clock = manualClock();
      const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, clock);
      const passed: [number, number][] = [];
      for (let i = 0; i < 3; i++) void limiter.acquire('w').then(() => passed.push([i, clock.now()]));
      await clock.advanceTo(0);
      expect(passed).toEqual([[0, 0]]);
      limiter.hold('w', 3000);
      await clock.advanceTo(1000);
      await clock.advanceTo(2000);
      expect(passed).toEqual([[0, 0]]);
      await clock.advanceTo(3000);
      expect(passed).toEqual([
        [0, 0],
        [1, 3000],
      ]);
      await clock.advanceTo(4000);
      expect(passed).toEqual([
        [0, 0],
        [1, 3000],
        [2, 4000],
      ]);
    });
  });
});
