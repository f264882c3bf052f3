import { describe, expect, it } from 'vitest';
import type { NumberedChange } from './api-types.js';
import { createSharedTail } from './shared-tail.js';

// A change log in memory, read the way the Redis source reads its stream: the changes after a
// cursor, at most `batch` at once. `reads` counts the calls, to see that clients share them.
function changeLog(batch = 3) {
  const log: NumberedChange[] = [];
  let reads = 0;
  let nonEmptyReads = 0;
  let failWith: Error | undefined;
  const idOf = (n: number) => `${n}-0`;
  const numberOf = (id: string | undefined) => (id === undefined ? 0 : Number(id.split('-')[0]));
  return {
    append(count: number) {
      for (let i = 0; i < count; i++) {
        const n = log.length + 1;
        log.push({ id: idOf(n), change: { type: 'reset' } });
      }
    },
    fail(error: Error | undefined) {
      failWith = error;
    },
    get reads() {
      return reads;
    },
    get nonEmptyReads() {
      return nonEmptyReads;
    },
    tail(maxBuffered = 1000) {
      return createSharedTail({
        read: async (cursor) => {
          reads++;
          // A read is I/O, as Redis's are: clients run in between.
          await new Promise((resolve) => setImmediate(resolve));
          if (failWith) throw failWith;
          const after = numberOf(cursor);
          const changes = log.slice(after, after + batch);
          if (changes.length) nonEmptyReads++;
          return { changes, ...(changes.length ? { cursor: changes.at(-1)!.id } : cursor ? { cursor } : {}) };
        },
        start: async () => (log.length ? idOf(log.length) : undefined),
        pollMs: 1,
        maxBuffered,
      });
    },
  };
}

async function take(iterator: AsyncIterator<NumberedChange>, count: number): Promise<string[]> {
  const ids: string[] = [];
  while (ids.length < count) {
    const step = await iterator.next();
    if (step.done) break;
    ids.push(step.value.id);
  }
  return ids;
}

describe('createSharedTail', () => {
  it('gives every client each change after it joined, in order, from one reader', async () => {
    const log = changeLog();
    log.append(2);
    const tail = log.tail();
    const stop = new AbortController();
    const clients = await Promise.all([1, 2, 3].map(() => tail.subscribe(stop.signal)));
    expect(clients.map((c) => c.from)).toEqual(['2-0', '2-0', '2-0']);
    const iterators = clients.map((c) => c[Symbol.asyncIterator]());
    log.append(9);
    const seen = await Promise.all(iterators.map((it) => take(it, 9)));
    const expected = Array.from({ length: 9 }, (_, i) => `${i + 3}-0`);
    expect(seen).toEqual([expected, expected, expected]);
    // Three batches of three, each read once for all three clients.
    expect(log.nonEmptyReads).toBe(3);
    stop.abort();
    for (const it of iterators) expect((await it.next()).done).toBe(true);
  });

  it('gives a client that joins later only what comes after its `from`', async () => {
    const log = changeLog();
    const tail = log.tail();
    const first = new AbortController();
    const early = (await tail.subscribe(first.signal))[Symbol.asyncIterator]();
    log.append(4);
    expect(await take(early, 4)).toEqual(['1-0', '2-0', '3-0', '4-0']);
    const late = await tail.subscribe(first.signal);
    expect(late.from).toBe('4-0');
    log.append(1);
    expect(await take(late[Symbol.asyncIterator](), 1)).toEqual(['5-0']);
    first.abort();
  });

  it('ends the channel of a client that falls behind, and keeps the others going', async () => {
    const log = changeLog(2);
    const tail = log.tail(4);
    const stop = new AbortController();
    const slow = (await tail.subscribe(stop.signal))[Symbol.asyncIterator]();
    const fast = (await tail.subscribe(stop.signal))[Symbol.asyncIterator]();
    const fastSeen = take(fast, 6);
    log.append(6);
    // The fast client reads as changes come; the slow one reads none, so its channel ends at 4 held.
    expect(await fastSeen).toHaveLength(6);
    expect(await take(slow, 10)).toEqual(['1-0', '2-0', '3-0', '4-0']);
    log.append(1);
    expect(await take(fast, 1)).toEqual(['7-0']);
    stop.abort();
  });

  it('stops reading once the last client leaves, and starts again for the next', async () => {
    const log = changeLog();
    const tail = log.tail();
    const stop = new AbortController();
    const client = (await tail.subscribe(stop.signal))[Symbol.asyncIterator]();
    log.append(1);
    await take(client, 1);
    stop.abort();
    expect((await client.next()).done).toBe(true);
    expect(tail.size).toBe(0);
    // Give the reader its last poll, then no read happens while nobody listens.
    await new Promise((r) => setTimeout(r, 20));
    const reads = log.reads;
    await new Promise((r) => setTimeout(r, 50));
    expect(log.reads).toBe(reads);
    const again = new AbortController();
    const next = await tail.subscribe(again.signal);
    expect(next.from).toBe('1-0');
    log.append(1);
    expect(await take(next[Symbol.asyncIterator](), 1)).toEqual(['2-0']);
    again.abort();
  });

  it("ends every client's channel with the reader's error", async () => {
    const log = changeLog();
    const tail = log.tail();
    const stop = new AbortController();
    const clients = await Promise.all(
      [1, 2].map(async () => (await tail.subscribe(stop.signal))[Symbol.asyncIterator]()),
    );
    log.fail(new Error('Redis is down'));
    for (const client of clients) await expect(client.next()).rejects.toThrow('Redis is down');
    expect(tail.size).toBe(0);
    stop.abort();
  });
});
