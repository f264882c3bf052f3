import { describe, expect, it } from 'vitest';
import type { AlertSummary, NumberedChange } from './api-types.js';
import { createChangeFeed } from './change-feed.js';

const summary = (alertId: string): AlertSummary => ({
  organizationId: 'acme',
  alertId,
  status: 'open',
  stale: false,
  firstSeenAt: '2026-03-01T10:00:00.000Z',
  updatedAt: '2026-03-01T10:00:00.000Z',
  targets: [],
});

/** Reads what `changes` yields until `count` arrived, then stops the iteration. */
async function take(iterable: AsyncIterable<NumberedChange>, count: number, stop: AbortController) {
  const taken: NumberedChange[] = [];
  for await (const change of iterable) {
    taken.push(change);
    if (taken.length === count) break;
  }
  stop.abort();
  return taken;
}

const ids = (changes: NumberedChange[]) =>
  changes.map((c) => (c.change.type === 'alert' ? c.change.alert.alertId : 'reset'));

describe('createChangeFeed', () => {
  describe('changes()', () => {
    it('resumes after an id with what came later, nothing missed and nothing twice', async () => {
      const feed = createChangeFeed({ replaySize: 10, maxPending: 10 });
      const first = new AbortController();
      const reading = take(feed.changes(undefined, first.signal), 2, first);
      feed.publish({ type: 'alert', alert: summary('a1') });
      feed.publish({ type: 'alert', alert: summary('a2') });
      const seen = await reading;
      expect(ids(seen)).toEqual(['a1', 'a2']);
      // Away for a while: two more happen.
      feed.publish({ type: 'alert', alert: summary('a3') });
      feed.publish({ type: 'alert', alert: summary('a4') });
      const second = new AbortController();
      const resumed = take(feed.changes(seen[0]!.id, second.signal), 4, second);
      feed.publish({ type: 'alert', alert: summary('a5') });
      expect(ids(await resumed)).toEqual(['a2', 'a3', 'a4', 'a5']);
      expect(feed.listeners).toBe(0);
    });

    it('starts with a reset for an id it no longer holds or never gave', async () => {
      const feed = createChangeFeed({ replaySize: 2, maxPending: 10 });
      const stop = new AbortController();
      const first = take(feed.changes(undefined, stop.signal), 1, stop);
      feed.publish({ type: 'alert', alert: summary('a1') });
      const [{ id } = { id: '' }] = await first;
      for (const n of [2, 3, 4]) feed.publish({ type: 'alert', alert: summary(`a${n}`) });
      for (const after of [id, 'from-another-process.3', 'nonsense']) {
        const again = new AbortController();
        expect(ids(await take(feed.changes(after, again.signal), 1, again))).toEqual(['reset']);
      }
    });

    it('gives a slow reader one reset instead of holding every change for it', async () => {
      const feed = createChangeFeed({ replaySize: 10, maxPending: 3 });
      const stop = new AbortController();
      const iterator = feed.changes(undefined, stop.signal)[Symbol.asyncIterator]();
      const firstRead = iterator.next();
      for (let n = 1; n <= 10; n++) feed.publish({ type: 'alert', alert: summary(`a${n}`) });
      const reset = (await firstRead).value as NumberedChange;
      expect(reset.change).toEqual({ type: 'reset' });
      feed.publish({ type: 'alert', alert: summary('a11') });
      const after = (await iterator.next()).value as NumberedChange;
      expect(ids([after])).toEqual(['a11']);
      // Resuming from the reset's id gives what came after it and nothing from before.
      const again = new AbortController();
      expect(ids(await take(feed.changes(reset.id, again.signal), 1, again))).toEqual(['a11']);
      stop.abort();
      expect((await iterator.next()).done).toBe(true);
    });
  });
});
