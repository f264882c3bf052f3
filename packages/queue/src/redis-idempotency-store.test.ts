import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRedisIdempotencyStore, type RedisIdempotencyStore } from './redis-idempotency-store.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';

let redis: TestRedis;
let store: RedisIdempotencyStore;
beforeAll(async () => {
  redis = await startRedis();
  store = createRedisIdempotencyStore({ connection: redis.connection });
});
afterAll(async () => {
  await store?.close();
  await redis?.stop();
});

describe('createRedisIdempotencyStore', () => {
  describe('claim()', () => {
    it('claims a free key once; a second claim sees it in flight', async () => {
      expect(await store.claim('org:a1:k1', 10_000)).toBe('claimed');
      expect(await store.claim('org:a1:k1', 10_000)).toBe('in_flight');
    });

    it('says delivered after complete(), and release() never removes a sent marker', async () => {
      expect(await store.claim('org:a1:k2', 10_000)).toBe('claimed');
      await store.complete('org:a1:k2', 10_000);
      await store.release('org:a1:k2');
      expect(await store.claim('org:a1:k2', 10_000)).toBe('delivered');
      expect(await store.peek('org:a1:k2')).toBe('delivered');
    });

    it('gives a released key to the next claim', async () => {
      expect(await store.claim('org:a1:k3', 10_000)).toBe('claimed');
      await store.release('org:a1:k3');
      expect(await store.peek('org:a1:k3')).toBe('free');
      expect(await store.claim('org:a1:k3', 10_000)).toBe('claimed');
    });

    it('lets a claim expire by itself, as when its process died', async () => {
      expect(await store.claim('org:a1:k4', 30)).toBe('claimed');
      // Bounded: at most 40 × 25 ms.
      let result = 'in_flight';
      for (let i = 0; i < 40 && result === 'in_flight'; i++) {
        await new Promise((r) => setTimeout(r, 25));
        result = await store.claim('org:a1:k4', 10_000);
      }
      expect(result).toBe('claimed');
    });

    it('gives exactly one of 50 concurrent claims from two stores', async () => {
      const other = createRedisIdempotencyStore({ connection: redis.connection });
      const results = await Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? store : other).claim('org:a1:race', 10_000)),
      );
      await other.close();
      expect(results.filter((r) => r === 'claimed')).toHaveLength(1);
    });
  });

  it('keeps keys hashed under the hash-tag prefix, never the raw key', async () => {
    const client = redis.client();
    await store.claim('acme:alert-9:alert.created@2026:email:secret-ish', 10_000);
    const keys = await client.keys('*');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).toMatch(/^\{pytake-notify\}:idem:[0-9a-f]{32}$/);
    expect(keys.join()).not.toContain('acme');
  });
});
