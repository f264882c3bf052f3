import { describe, expect, it } from 'vitest';
import { createMemoryIdempotencyStore } from './idempotency.js';

describe('createMemoryIdempotencyStore()', () => {
  it('claims a key once until its TTL passes', async () => {
    let now = 1_000;
    const store = createMemoryIdempotencyStore({ now: () => now });
    expect(await store.claim('k', 500)).toBe('claimed');
    expect(await store.claim('k', 500)).toBe('in_flight');
    now = 1_499;
    expect(await store.claim('k', 500)).toBe('in_flight');
    now = 1_500;
    expect(await store.claim('k', 500)).toBe('claimed');
    expect(await store.claim('other', 500)).toBe('claimed');
  });

  it('lets a released key be claimed again', async () => {
    const store = createMemoryIdempotencyStore();
    await store.claim('k', 60_000);
    await store.release('k');
    expect(await store.claim('k', 60_000)).toBe('claimed');
  });

  it('drops the oldest claims past maxKeys', async () => {
    const store = createMemoryIdempotencyStore({ maxKeys: 2 });
    for (const key of ['a', 'b', 'c']) await store.claim(key, 60_000);
    expect(await store.claim('b', 60_000)).toBe('in_flight');
    expect(await store.claim('c', 60_000)).toBe('in_flight');
    expect(await store.claim('a', 60_000)).toBe('claimed');
  });

  it('never forgets a delivery on a late release', async () => {
    const store = createMemoryIdempotencyStore();
    await store.claim('k', 60_000);
    await store.complete('k', 60_000);
    await store.release('k');
    expect(await store.claim('k', 60_000)).toBe('delivered');
  });
});
