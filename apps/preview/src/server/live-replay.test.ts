import { describe, expect, it } from 'vitest';
import { createLiveEvents } from './live-events.js';
import { createLiveReplay } from './live-replay.js';

const outbox = (n: number) => ({ type: 'outbox' as const, data: { n } });

describe('createLiveReplay', () => {
  describe('since()', () => {
    it('numbers events in order and replays those after the last id seen', () => {
      const live = createLiveEvents();
      const replay = createLiveReplay(live, 10);
      for (let n = 1; n <= 4; n++) live.publish(outbox(n));
      expect(replay.latestId).toBe(4);
      const { events, complete } = replay.since(2);
      expect(complete).toBe(true);
      expect(events.map((e) => [e.id, (e.event.data as { n: number }).n])).toEqual([
        [3, 3],
        [4, 4],
      ]);
      expect(replay.since(4)).toEqual({ events: [], complete: true });
    });

    it('says incomplete when what was missed is no longer in the bounded buffer', () => {
      const live = createLiveEvents();
      const replay = createLiveReplay(live, 3);
      for (let n = 1; n <= 6; n++) live.publish(outbox(n));
      // Holds 4..6: a browser that saw 3 misses nothing, one that saw 2 missed event 3.
      expect(replay.since(3).complete).toBe(true);
      expect(replay.since(2)).toMatchObject({ complete: false });
      expect(replay.since(2).events.map((e) => e.id)).toEqual([4, 5, 6]);
    });

    it('says incomplete for an id from before a restart (larger than any it gave)', () => {
      const replay = createLiveReplay(createLiveEvents(), 3);
      expect(replay.since(57)).toEqual({ events: [], complete: false });
    });
  });

  describe('subscribe()', () => {
    it('hands every listener the same id for the same event, and stops after unsubscribe', () => {
      const live = createLiveEvents();
      const replay = createLiveReplay(live);
      const a: number[] = [];
      const b: number[] = [];
      const stop = replay.subscribe((e) => a.push(e.id));
      replay.subscribe((e) => b.push(e.id));
      live.publish(outbox(1));
      stop();
      live.publish(outbox(2));
      expect(a).toEqual([1]);
      expect(b).toEqual([1, 2]);
    });
  });
});
