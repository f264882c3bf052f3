import { describe, expect, it } from 'vitest';
import { createAlertBoard } from './alert-board.js';

const at = '2026-01-31T14:30:00.000Z';

describe('createAlertBoard', () => {
  describe('apply()', () => {
    it('acknowledges, assigns and resolves an alert, newest activity first', () => {
      const board = createAlertBoard();
      board.apply('a1', { action: 'acknowledge', user: 'ana', at });
      board.apply('a1', { action: 'assign', user: 'ana', assignee: 'bruno', at });
      const state = board.apply('a1', { action: 'resolve', user: 'bruno', at });
      expect(state).toMatchObject({
        status: 'resolved',
        acknowledgedBy: 'ana',
        resolvedBy: 'bruno',
        assignee: 'bruno',
      });
      expect(state.activity.map((a) => a.action)).toEqual(['resolve', 'assign', 'acknowledge']);
    });

    it('does not reopen a resolved alert on a late acknowledge', () => {
      const board = createAlertBoard();
      board.apply('a1', { action: 'resolve', user: 'ana', at });
      expect(board.apply('a1', { action: 'acknowledge', user: 'bruno', at }).status).toBe('resolved');
    });

    it('forgets the least recently touched alert beyond its size', () => {
      const board = createAlertBoard(2);
      board.apply('a1', { action: 'view', user: 'ana', at });
      board.apply('a2', { action: 'view', user: 'ana', at });
      board.apply('a1', { action: 'view', user: 'ana', at });
      board.apply('a3', { action: 'view', user: 'ana', at });
      expect(board.list().map((a) => a.alertId)).toEqual(['a3', 'a1']);
    });
  });
});
