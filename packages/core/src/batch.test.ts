import { describe, expect, it } from 'vitest';
import { type BatchProgress, runBatch } from './batch.js';
import { ConfigError, NotifyError } from './errors.js';

/** Resolves after a few turns of the event loop, so that tasks overlap without real waiting. */
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('runBatch()', () => {
  it('returns one result per item in input order, whatever order they finish in', async () => {
    const results = await runBatch([5, 1, 3, 0, 2], async (n) => {
      await turns(n);
      return n * 10;
    });
    expect(results).toEqual([50, 10, 30, 0, 20].map((value) => ({ ok: true, value })));
  });

  it('turns a task that throws into a failed result and goes on', async () => {
    const results = await runBatch(['a', 'b', 'c'], async (item) => {
      if (item === 'b') throw new NotifyError('Slack answered 404', { code: 'permanent' });
      if (item === 'c') throw new Error('boom');
      return item;
    });
    expect(results[0]).toEqual({ ok: true, value: 'a' });
    expect(results[1]).toMatchObject({
      ok: false,
      error: { code: 'permanent', message: 'Slack answered 404' },
    });
    expect(results[2]).toMatchObject({ ok: false, error: { code: 'permanent', message: 'boom' } });
  });

  it('rejects a concurrency that would start no worker (NaN, 0, Infinity) with a ConfigError naming it', async () => {
    let started = 0;
    for (const concurrency of [Number.NaN, 0, 0.5, -1, Number.POSITIVE_INFINITY, '2' as never]) {
      const error = await runBatch([1, 2], async () => started++, { concurrency }).catch((e) => e);
      expect(error).toBeInstanceOf(ConfigError);
      expect(error.message).toMatch(/concurrency: expected a finite number of at least 1/);
    }
    expect(started).toBe(0);
    // An explicit undefined is the default, as if the option were left out.
    expect(await runBatch([1, 2], async (i) => i, { concurrency: undefined })).toHaveLength(2);
  });

  it('never runs more tasks at once than concurrency', async () => {
    let inFlight = 0;
    let peak = 0;
    const results = await runBatch(
      Array.from({ length: 20 }, (_, i) => i),
      async (i) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await turns(1 + (i % 3));
        inFlight--;
        return i;
      },
      { concurrency: 3 },
    );
    expect(results).toHaveLength(20);
    expect(peak).toBe(3);
  });

  it('passes each item its index', async () => {
    const results = await runBatch(['a', 'b'], async (item, index) => `${index}:${item}`);
    expect(results.map((r) => r.ok && r.value)).toEqual(['0:a', '1:b']);
  });

  it('reports progress after each item', async () => {
    const progress: BatchProgress[] = [];
    await runBatch(
      [1, 2, 3],
      async (n) => {
        if (n === 2) throw new Error('no');
        return n;
      },
      { concurrency: 1, onProgress: (p) => progress.push(p) },
    );
    expect(progress).toEqual([
      { done: 1, failed: 0, total: 3 },
      { done: 2, failed: 1, total: 3 },
      { done: 3, failed: 1, total: 3 },
    ]);
  });

  it('pulls lazily from a generator: never more than concurrency items ahead of those settled', async () => {
    let pulled = 0;
    let settled = 0;
    let maxAhead = 0;
    function* messages() {
      for (let i = 0; i < 50; i++) {
        pulled++;
        maxAhead = Math.max(maxAhead, pulled - settled);
        yield i;
      }
    }
    const results = await runBatch(
      messages(),
      async (i) => {
        await turns(1 + (i % 4));
        settled++;
        return i;
      },
      { concurrency: 4 },
    );
    expect(results.map((r) => r.ok && r.value)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(maxAhead).toBe(4);
  });

  it('pulls from an async generator in order', async () => {
    async function* messages() {
      for (let i = 0; i < 10; i++) {
        await turns(1);
        yield `m${i}`;
      }
    }
    const progress: BatchProgress[] = [];
    const results = await runBatch(messages(), async (m) => m.toUpperCase(), {
      concurrency: 3,
      onProgress: (p) => progress.push(p),
    });
    expect(results.map((r) => r.ok && r.value)).toEqual(Array.from({ length: 10 }, (_, i) => `M${i}`));
    expect(progress.at(-1)).toEqual({ done: 10, failed: 0, total: 10 });
  });

  it('finishes every item when onProgress throws', async () => {
    const sent: number[] = [];
    const results = await runBatch(
      [0, 1, 2, 3, 4, 5],
      async (i) => {
        sent.push(i);
        await turns(1);
        return i;
      },
      {
        concurrency: 2,
        onProgress: () => {
          throw new Error('progress bar gone');
        },
      },
    );
    expect(results.map((r) => r.ok && r.value)).toEqual([0, 1, 2, 3, 4, 5]);
    expect(sent).toHaveLength(6);
  });

  describe('abort', () => {
    it('starts nothing new once aborted and fails the rest of an array with aborted', async () => {
      const controller = new AbortController();
      const started: number[] = [];
      const results = await runBatch(
        [0, 1, 2, 3, 4, 5],
        async (i) => {
          started.push(i);
          if (i === 1) controller.abort();
          await turns(1);
          return i;
        },
        { concurrency: 2, signal: controller.signal },
      );
      expect(started).toEqual([0, 1]);
      expect(results).toHaveLength(6);
      expect(results.slice(0, 2)).toEqual([
        { ok: true, value: 0 },
        { ok: true, value: 1 },
      ]);
      for (const result of results.slice(2))
        expect(result).toMatchObject({ ok: false, error: { code: 'aborted' } });
    });

    it('stops pulling from an endless generator and closes it', async () => {
      const controller = new AbortController();
      let pulled = 0;
      let closed = false;
      function* endless() {
        try {
          for (;;) {
            pulled++;
            yield pulled;
          }
        } finally {
          closed = true;
        }
      }
      const results = await runBatch(
        endless(),
        async (n) => {
          if (n === 5) controller.abort();
          return n;
        },
        { concurrency: 2, signal: controller.signal },
      );
      expect(closed).toBe(true);
      expect(pulled).toBeLessThanOrEqual(7);
      expect(results.slice(0, 5)).toEqual([1, 2, 3, 4, 5].map((value) => ({ ok: true, value })));
    });

    it('starts nothing when the signal is already aborted', async () => {
      const started: number[] = [];
      const results = await runBatch([1, 2], async (n) => started.push(n), { signal: AbortSignal.abort() });
      expect(started).toEqual([]);
      expect(results.map((r) => !r.ok && r.error.code)).toEqual(['aborted', 'aborted']);
    });
  });

  it('rejects when the iterable itself throws, after the items in flight settle', async () => {
    let settled = 0;
    function* broken() {
      yield 1;
      throw new Error('cursor closed');
    }
    await expect(
      runBatch(broken(), async () => {
        await turns(2);
        settled++;
      }),
    ).rejects.toThrow('cursor closed');
    expect(settled).toBe(1);
  });
});
