import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashKey } from './hash-key.js';
import { createRedisRateLimiter, type RedisRateLimiter, readRateLimitHolds } from './redis-rate-limiter.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';

let redis: TestRedis;
let client: Redis;
let limiter: RedisRateLimiter;
beforeAll(async () => {
  redis = await startRedis();
  client = redis.client();
  limiter = createRedisRateLimiter(client, '{t}');
});
afterAll(async () => {
  await redis?.stop();
});

// The limits are slow on purpose (1 per 100 s), so that a loaded machine cannot make a slot free up
// between two calls: the test never depends on how fast it runs.
const slow = { perSecond: 0.01, burst: 3 };

describe('createRedisRateLimiter', () => {
  describe('take()', () => {
    it('lets a burst go, then reserves later slots one interval apart', async () => {
      const decisions = [];
      for (let i = 0; i < 5; i++)
        decisions.push(await limiter.take('hook-a', slow, { maxWaitMs: 10_000_000 }));
      expect(decisions.slice(0, 3).map((d) => d.kind)).toEqual(['go', 'go', 'go']);
      const [fourth, fifth] = decisions.slice(3) as { kind: string; waitMs: number }[];
      expect(fourth!.kind).toBe('reserved');
      expect(fourth!.waitMs).toBeGreaterThan(99_000);
      expect(fourth!.waitMs).toBeLessThanOrEqual(100_000);
      expect(fifth!.waitMs - fourth!.waitMs).toBeGreaterThan(99_000);
    });

    it('reserves nothing when the wait is longer than allowed', async () => {
      for (let i = 0; i < 3; i++) await limiter.take('hook-b', slow, { maxWaitMs: 0 });
      const denied = await limiter.take('hook-b', slow, { maxWaitMs: 1000 });
      expect(denied).toMatchObject({ kind: 'denied', held: false });
      // Still denied: the denied call took no slot, so the wait did not grow by another interval.
      const again = await limiter.take('hook-b', slow, { maxWaitMs: 1000 });
      expect(again.kind).toBe('denied');
      expect((again as { waitMs: number }).waitMs).toBeLessThanOrEqual(100_000);
    });

    it('honours a reserved slot: early, it says wait more; no second slot is taken', async () => {
      for (let i = 0; i < 3; i++) await limiter.take('hook-c', slow, { maxWaitMs: 0 });
      const reserved = await limiter.take('hook-c', slow, { maxWaitMs: 1_000_000 });
      if (reserved.kind !== 'reserved') throw new Error(`expected a reservation, got ${reserved.kind}`);
      const early = await limiter.take('hook-c', slow, { maxWaitMs: 0, slot: reserved.slot });
      expect(early).toMatchObject({ kind: 'reserved', slot: reserved.slot });
      // The next newcomer is one interval behind the reserved slot, not two.
      const next = await limiter.take('hook-c', slow, { maxWaitMs: 1_000_000 });
      expect((next as { waitMs: number }).waitMs).toBeLessThanOrEqual(200_000);
    });

    // Time passing, without waiting for it: every time in the limiter's hash moves back by `ms`.
    const age = async (target: string, ms: number) => {
      const key = `{t}:rl:${hashKey(target)}`;
      const [tat, sent] = await client.hmget(key, 'tat', 'sent');
      await client.hset(key, 'tat', Number(tat) - ms, 'sent', Number(sent) - ms);
    };

    it('keeps a slot for a job that comes back late: granted then, and no new slot is taken', async () => {
      for (let i = 0; i < 3; i++) await limiter.take('hook-i', slow, { maxWaitMs: 0 });
      const reserved = await limiter.take('hook-i', slow, { maxWaitMs: 1_000_000 });
      if (reserved.kind !== 'reserved') throw new Error(`expected a reservation, got ${reserved.kind}`);
      // 150 s later, its slot 50 s past (a delayed job promoted late, a busy worker): still its own.
      await age('hook-i', 150_000);
      const late = { ...reserved.slot, at: reserved.slot.at - 150_000 };
      expect((await limiter.take('hook-i', slow, { maxWaitMs: 0, slot: late })).kind).toBe('go');
      // The next newcomer is one interval behind that slot: the late one took no second slot.
      const next = await limiter.take('hook-i', slow, { maxWaitMs: 1_000_000 });
      expect(next.kind).toBe('reserved');
      expect((next as { waitMs: number }).waitMs).toBeLessThanOrEqual(100_000);
    });

    it('spreads jobs that come back late together over the grants the limit allows, each keeping its slot', async () => {
      for (let i = 0; i < 3; i++) await limiter.take('hook-j', slow, { maxWaitMs: 0 });
      const slots = [];
      for (let i = 0; i < 4; i++) {
        const reserved = await limiter.take('hook-j', slow, { maxWaitMs: 10_000_000 });
        if (reserved.kind !== 'reserved') throw new Error(`expected a reservation, got ${reserved.kind}`);
        slots.push(reserved.slot);
      }
      // Long after all four slots, the four jobs come back at once.
      await age('hook-j', 1_000_000);
      const back = [];
      for (const slot of slots)
        back.push(
          await limiter.take('hook-j', slow, { maxWaitMs: 0, slot: { ...slot, at: slot.at - 1_000_000 } }),
        );
      // A burst of grants at most: the fourth waits about an interval, for the slot it already has.
      expect(back.slice(0, 3).map((d) => d.kind)).toEqual(['go', 'go', 'go']);
      expect(back[3]).toMatchObject({ kind: 'reserved', slot: { at: slots[3]!.at - 1_000_000 } });
      expect((back[3] as { waitMs: number }).waitMs).toBeGreaterThan(99_000);
      expect((back[3] as { waitMs: number }).waitMs).toBeLessThanOrEqual(100_000);
    });

    it('works with an interval that is not a whole number of milliseconds (3 per second)', async () => {
      const third = { perSecond: 3, burst: 2 };
      expect((await limiter.take('hook-h', third, { maxWaitMs: 0 })).kind).toBe('go');
      expect((await limiter.hold('hook-h', third, 10_000)) > 9000).toBe(true);
    });

    it('keeps limits apart per target', async () => {
      for (let i = 0; i < 3; i++) await limiter.take('hook-d', slow, { maxWaitMs: 0 });
      expect((await limiter.take('hook-e', slow, { maxWaitMs: 0 })).kind).toBe('go');
    });
  });

  describe('hold()', () => {
    it('holds a target for every caller and voids slots reserved before', async () => {
      const one = { perSecond: 0.01, burst: 1 };
      expect((await limiter.take('hook-f', one, { maxWaitMs: 0 })).kind).toBe('go');
      const reserved = await limiter.take('hook-f', one, { maxWaitMs: 1_000_000 });
      if (reserved.kind !== 'reserved') throw new Error(`expected a reservation, got ${reserved.kind}`);
      const held = await limiter.hold('hook-f', one, 50_000);
      expect(held).toBeGreaterThan(49_000);
      const other = createRedisRateLimiter(redis.client(), '{t}');
      const denied = await other.take('hook-f', one, { maxWaitMs: 1_000_000 });
      expect(denied).toMatchObject({ kind: 'denied', held: true });
      expect((denied as { waitMs: number }).waitMs).toBeGreaterThan(49_000);
      // The slot reserved before the 429 is void, even for its holder.
      const stale = await limiter.take('hook-f', one, { maxWaitMs: 1_000_000, slot: reserved.slot });
      expect(stale).toMatchObject({ kind: 'denied', held: true });
    });

    it('restarts the schedule after the hold: slots reserved before it do not push back those taken after', async () => {
      const one = { perSecond: 0.01, burst: 1 };
      expect((await limiter.take('hook-restart', one, { maxWaitMs: 0 })).kind).toBe('go');
      // Ten slots reserved, the last one 1,000 s away; a 429 then voids them all.
      for (let i = 0; i < 10; i++) await limiter.take('hook-restart', one, { maxWaitMs: 10_000_000 });
      await limiter.hold('hook-restart', one, 1);
      await new Promise((r) => setTimeout(r, 50)); // past the 1 ms hold, however slow the machine
      const next = await limiter.take('hook-restart', one, { maxWaitMs: 10_000_000 });
      // One interval after the last slot actually granted, not after the ten voided ones.
      expect(next.kind).toBe('reserved');
      expect((next as { waitMs: number }).waitMs).toBeLessThanOrEqual(100_000);
    });

    it('never shortens a longer hold', async () => {
      const fast = { perSecond: 1000, burst: 1 };
      await limiter.hold('hook-g', fast, 80_000);
      expect(await limiter.hold('hook-g', fast, 1000)).toBeGreaterThan(79_000);
    });

    it('lists the holds in force for consoles, by organization, until they end', async () => {
      const fast = { perSecond: 1000, burst: 1 };
      const shown = (organizationId: string, target: string) => ({
        organizationId,
        route: 'slack' as const,
        target,
      });
      await limiter.hold('https://hooks.example/T1/secret-a', fast, 60_000, shown('org-a', 'ops'));
      await limiter.hold('https://hooks.example/T1/secret-b', fast, 90_000, shown('org-b', 'alerts'));
      await limiter.hold('https://hooks.example/T1/secret-c', fast, 1, shown('org-a', 'gone'));
      await new Promise((r) => setTimeout(r, 50)); // past the 1 ms hold, however slow the machine
      const all = await readRateLimitHolds(client, '{t}');
      expect(all.map((h) => [h.organizationId, h.target])).toEqual([
        ['org-a', 'ops'],
        ['org-b', 'alerts'],
      ]);
      expect(all[0]!.until.getTime()).toBeGreaterThan(Date.now() + 30_000);
      expect((await readRateLimitHolds(client, '{t}', ['org-b'])).map((h) => h.target)).toEqual(['alerts']);
      // A shorter hold of the same target keeps the longer one listed.
      await limiter.hold('https://hooks.example/T1/secret-b', fast, 10, shown('org-b', 'alerts'));
      expect((await readRateLimitHolds(client, '{t}', ['org-b']))[0]!.until).toEqual(all[1]!.until);
      // What Redis keeps names the target as records do: no URL, no path.
      const listed = await client.zrange('{t}:holds', 0, -1);
      expect(listed.join()).not.toContain('secret');
      expect(await client.pttl('{t}:holds')).toBeGreaterThan(0);
    });
  });

  it('keys hold only a digest of the target', async () => {
    const keys = (await client.keys('{t}:*')).filter((key) => key !== '{t}:holds');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).toMatch(/^\{t\}:rl:[0-9a-f]{32}$/);
  });
});
