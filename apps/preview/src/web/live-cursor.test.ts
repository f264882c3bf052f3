import { describe, expect, it } from 'vitest';
import { createLiveCursor } from './live-cursor.js';

describe('createLiveCursor', () => {
  describe('accept()', () => {
    it('applies each event once, in order, across a reconnect that replays', () => {
      const cursor = createLiveCursor();
      expect(cursor.hello({ latestId: 4, complete: true })).toBe('reload');
      expect([5, 6].map((id) => cursor.accept(id))).toEqual([true, true]);
      // Reconnected with Last-Event-ID 6; the server replays 6 again (a race) and 7.
      expect(cursor.hello({ latestId: 7, complete: true })).toBe('resume');
      expect([6, 7, 7].map((id) => cursor.accept(id))).toEqual([false, true, false]);
      expect(cursor.lastId).toBe(7);
    });
  });

  describe('hello()', () => {
    it('reloads when the server lost what was missed, and skips the replay the reload covers', () => {
      const cursor = createLiveCursor();
      cursor.hello({ latestId: 0, complete: true });
      cursor.accept(1);
      expect(cursor.hello({ latestId: 900, complete: false })).toBe('reload');
      expect(cursor.accept(899)).toBe(false);
      expect(cursor.accept(901)).toBe(true);
    });

    it('reloads after a server restart, whose ids start again from 1', () => {
      const cursor = createLiveCursor();
      cursor.hello({ latestId: 50, complete: true });
      expect(cursor.hello({ latestId: 0, complete: false })).toBe('reload');
      expect(cursor.accept(1)).toBe(true);
    });
  });
});
