import { isNotifyError, MAX_TIMER_MS, type NotifyError } from '@pytake/notify-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRateLimiter } from './rate-limiter.js';

// A clock whose sleeps stay pending until the test moves time past them.
function manualClock() {
  let now = 0;
  const timers: { at: number; resolve: () => void }[] = [];
  const sleeps: number[] = [];
  return {
    sleeps,
    pending: () => timers.length,
    now: () => now,
    sleep: (ms: number) =>
      new Promise<void>((resolve) => {
        sleeps.push(ms);
        timers.push({ at: now + ms, resolve });
      }),
    /** When the earliest pending sleep ends. */
    next: () => Math.min(...timers.map((t) => t.at)),
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

const target = 'hooks.slack.com/…abcd';
const maxWaitMs = 60_000;

async function rejection(promise: Promise<unknown>): Promise<NotifyError> {
  const settled = await promise.then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(isNotifyError(settled)).toBe(true);
  return settled as NotifyError;
}

describe('createRateLimiter', () => {
  describe('acquire()', () => {
    it('lets a burst through, then one per interval', async () => {
      const clock = manualClock();
      const limiter = createRateLimiter({ perSecond: 1, burst: 3 }, { ...clock, maxWaitMs });
      const passed: number[] = [];
      for (let i = 0; i < 5; i++) void limiter.acquire('w', { target }).then(() => passed.push(i));
      await clock.advanceTo(0);
      expect(passed).toEqual([0, 1, 2]);
      await clock.advanceTo(1000);
      expect(passed).toEqual([0, 1, 2, 3]);
      await clock.advanceTo(2000);
      expect(passed).toEqual([0, 1, 2, 3, 4]);
    });

    it('forgets webhooks whose bucket has refilled, so memory follows the active ones', async () => {
      const clock = manualClock();
      const limiter = createRateLimiter({ perSecond: 1, burst: 5 }, { ...clock, maxWaitMs });
      for (let i = 0; i < 1000; i++)
        await limiter.acquire(`https://hooks.slack.com/services/T/B/${i}`, { target });
      expect(limiter.tracked()).toBe(1000);
      await clock.advanceTo(60_000);
      await limiter.acquire('https://hooks.slack.com/services/T/B/new', { target });
      expect(limiter.tracked()).toBe(1);
    });

    it('keeps webhooks apart', async () => {
      const clock = manualClock();
      const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, { ...clock, maxWaitMs });
      const passed: string[] = [];
      for (const key of ['a', 'a', 'b']) void limiter.acquire(key, { target }).then(() => passed.push(key));
      await clock.advanceTo(0);
      expect(passed).toEqual(['a', 'b']);
    });

    it('stops at once when the signal aborts', async () => {
      const clock = manualClock();
      const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, { ...clock, maxWaitMs });
      await limiter.acquire('w', { target });
      const controller = new AbortController();
      const waiting = limiter.acquire('w', { target, signal: controller.signal });
      await clock.advanceTo(0);
      controller.abort();
      await clock.advanceTo(1000);
      expect((await rejection(waiting)).code).toBe('aborted');
    });
  });

  describe('RateSlot.answered()', () => {
    it('counts a slot from when its post was answered, so that a slow first post does not let a later one arrive early', async () => {
      const clock = manualClock();
      const limiter = createRateLimiter({ perSecond: 1, burst: 2 }, { ...clock, maxWaitMs });
      const first = await limiter.acquire('w', { target });
      const second = await limiter.acquire('w', { target });
      let thirdAt: number | undefined;
      void limiter.acquire('w', { target }).then(() => {
        thirdAt = clock.now();
      });
      await clock.advanceTo(5);
      second.answered(); // warm connection: arrived in 5 ms
      await clock.advanceTo(300);
      first.answered(); // a first connection's handshake: Slack may have counted it at 300
      await clock.advanceTo(1000);
      expect(thirdAt).toBeUndefined();
      await clock.advanceTo(1300);
      expect(thirdAt).toBe(1300);
    });
  });

  describe('hold()', () => {
    it('holds messages that already had a slot until Retry-After has passed; the retry of the held one goes first', async () => {
      const clock = manualClock();
      const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, { ...clock, maxWaitMs });
      const passed: [string, number][] = [];
      const send = (name: string) =>
        void limiter.acquire('w', { target }).then(() => passed.push([name, clock.now()]));
      send('m0');
      send('m1');
      send('m2');
      await clock.advanceTo(0);
      expect(passed).toEqual([['m0', 0]]);
      // m0 met a 429 with Retry-After 3 s; its retry resumes without a new slot.
      limiter.hold('w', 3000);
      void limiter.resume('w', { target }).then(() => passed.push(['m0 retry', clock.now()]));
      await clock.advanceTo(1000);
      await clock.advanceTo(2000);
      expect(passed).toEqual([['m0', 0]]);
      await clock.advanceTo(3000);
      expect(passed).toEqual([
        ['m0', 0],
        ['m0 retry', 3000],
      ]);
      await clock.advanceTo(4000);
      await clock.advanceTo(5000);
      expect(passed).toEqual([
        ['m0', 0],
        ['m0 retry', 3000],
        ['m1', 4000],
        ['m2', 5000],
      ]);
    });

    it('fails sends at once while Slack asked to wait longer than maxWaitMs, then lets one through after maxWaitMs', async () => {
      const clock = manualClock();
      const limiter = createRateLimiter({ perSecond: 1, burst: 5 }, { ...clock, maxWaitMs });
      limiter.hold('w', 3_600_000);
      for (const t of [0, 1000, 59_999]) {
        await clock.advanceTo(t);
        const error = await rejection(limiter.acquire('w', { target }));
        expect(error).toMatchObject({ code: 'rate_limited', retryable: true, retryAfterMs: 3_600_000 - t });
        expect(error.message).toContain(target);
        expect(error.message).toContain('maxRetryAfterMs');
      }
      expect(clock.pending()).toBe(0);
      expect(clock.sleeps).toEqual([]);
      // The hold never exceeds maxWaitMs: after it one message goes to see whether Slack still limits.
      await clock.advanceTo(60_000);
      await limiter.acquire('w', { target });
      expect(clock.sleeps).toEqual([]);
    });

    it('clamps a Retry-After beyond 2^31 ms (or Infinity): no wait, no sleep longer than a timer takes', async () => {
      for (const retryAfterMs of [2 ** 31 + 5000, 2 ** 40, Number.POSITIVE_INFINITY]) {
        const clock = manualClock();
        const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, { ...clock, maxWaitMs });
        await limiter.acquire('w', { target });
        const queued = limiter.acquire('w', { target }); // asleep for its slot when the 429 comes
        await clock.advanceTo(0);
        limiter.hold('w', retryAfterMs);
        const error = await rejection(limiter.acquire('w', { target }));
        expect(error.code).toBe('rate_limited');
        expect(error.retryAfterMs).toBeLessThanOrEqual(MAX_TIMER_MS);
        await clock.advanceTo(1000);
        expect((await rejection(queued)).code).toBe('rate_limited');
        expect(await rejection(limiter.resume('w', { target }))).toMatchObject({ code: 'rate_limited' });
        expect(Math.max(...clock.sleeps)).toBeLessThanOrEqual(maxWaitMs);
      }
    });

    it('waits for a hold it may wait for, behind the retry of the message that met the 429', async () => {
      const clock = manualClock();
      const limiter = createRateLimiter({ perSecond: 1, burst: 5 }, { ...clock, maxWaitMs: 5000 });
      limiter.hold('w', 4000);
      let passedAt: number | undefined;
      void limiter.acquire('w', { target }).then(() => {
        passedAt = clock.now();
      });
      await clock.advanceTo(3999);
      expect(passedAt).toBeUndefined();
      await clock.advanceTo(4000);
      expect(passedAt).toBeUndefined(); // the slot at 4000 is the held message's retry
      await clock.advanceTo(5000);
      expect(passedAt).toBe(5000);
      expect(clock.sleeps).toEqual([4000, 1000]);
    });
  });

  describe('priority lane', () => {
    it('lets a critical alert queued behind others go at the next slot; the others keep their order', async () => {
      const clock = manualClock();
      const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, { ...clock, maxWaitMs });
      const passed: [string, number][] = [];
      const send = (name: string, severity: 'critical' | 'high' | 'medium') =>
        void limiter.acquire('w', { target, severity }).then(() => passed.push([name, clock.now()]));
      for (const name of ['m0', 'm1', 'm2', 'm3']) send(name, 'medium');
      send('c0', 'critical');
      send('h0', 'high'); // below the default threshold: waits in line
      send('c1', 'critical');
      for (let t = 0; t <= 6000; t += 1000) await clock.advanceTo(t);
      expect(passed).toEqual([
        ['m0', 0],
        ['c0', 1000],
        ['c1', 2000],
        ['m1', 3000],
        ['m2', 4000],
        ['m3', 5000],
        ['h0', 6000],
      ]);
    });

    it('takes its threshold from priorityAtOrAbove, or none with false', async () => {
      for (const [priorityAtOrAbove, first] of [
        ['high', 'h0'],
        [false, 'm1'],
      ] as const) {
        const clock = manualClock();
        const limiter = createRateLimiter(
          { perSecond: 1, burst: 1, priorityAtOrAbove },
          { ...clock, maxWaitMs },
        );
        const passed: string[] = [];
        const send = (name: string, severity: 'high' | 'medium') =>
          void limiter.acquire('w', { target, severity }).then(() => passed.push(name));
        send('m0', 'medium');
        send('m1', 'medium');
        send('h0', 'high');
        await clock.advanceTo(0);
        await clock.advanceTo(1000);
        expect(passed).toEqual(['m0', first]);
      }
    });

    it('holds a critical alert too while Slack asks to wait (429)', async () => {
      const clock = manualClock();
      const limiter = createRateLimiter({ perSecond: 1, burst: 1 }, { ...clock, maxWaitMs });
      const passed: [string, number][] = [];
      await limiter.acquire('w', { target, severity: 'medium' });
      void limiter.acquire('w', { target, severity: 'medium' }).then(() => passed.push(['m1', clock.now()]));
      limiter.hold('w', 3000);
      void limiter
        .acquire('w', { target, severity: 'critical' })
        .then(() => passed.push(['c0', clock.now()]));
      for (let t = 0; t <= 5000; t += 500) await clock.advanceTo(t);
      // 3000 is the retry's of the message that met the 429; then the critical, then the others.
      expect(passed).toEqual([
        ['c0', 4000],
        ['m1', 5000],
      ]);
    });

    it('never grants more than the limit allows, whatever the mix of severities and arrivals', async () => {
      const arrival = fc.record({
        at: fc.integer({ min: 0, max: 5000 }),
        critical: fc.boolean(),
      });
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 4 }),
          fc.integer({ min: 1, max: 5 }),
          fc.array(arrival, { minLength: 1, maxLength: 25 }),
          async (perSecond, burst, arrivals) => {
            const clock = manualClock();
            const limiter = createRateLimiter({ perSecond, burst }, { ...clock, maxWaitMs });
            const sorted = arrivals.map((a, i) => ({ ...a, i })).sort((a, b) => a.at - b.at);
            const grants: { at: number; i: number; critical: boolean }[] = [];
            let next = 0;
            while (grants.length < sorted.length) {
              const t = Math.min(sorted[next]?.at ?? Number.POSITIVE_INFINITY, clock.next());
              await clock.advanceTo(t);
              while (sorted[next] && sorted[next]!.at <= t) {
                const a = sorted[next++]!;
                void limiter
                  .acquire('w', { target, severity: a.critical ? 'critical' : 'low' })
                  .then(() => grants.push({ at: clock.now(), i: a.i, critical: a.critical }));
              }
              await clock.advanceTo(t);
            }
            // GCRA: over any run of grants, at most `burst` more than the rate allows.
            const interval = 1000 / perSecond;
            for (let a = 0; a < grants.length; a++) {
              for (let b = a + 1; b < grants.length; b++) {
                expect(grants[b]!.at - grants[a]!.at).toBeGreaterThanOrEqual(
                  (b - a - burst + 1) * interval - 1e-6,
                );
              }
            }
            // Each lane stays in arrival order.
            for (const critical of [true, false]) {
              const lane = grants.filter((g) => g.critical === critical).map((g) => g.i);
              const order = sorted.filter((a) => a.critical === critical).map((a) => a.i);
              expect(lane).toEqual(order);
            }
          },
        ),
        { seed: 20261206, numRuns: 60 },
      );
    });
  });
});
