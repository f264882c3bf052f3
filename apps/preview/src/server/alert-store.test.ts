import { type AlertEvent, parseAlertEvent } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
import { createAlertStore } from './alert-store.js';

const at = '2026-01-31T14:30:00.000Z';
const alert = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  organizationId: 'org_acme',
  organizationName: 'Acme',
  title: `Database pool exhausted ${id}`,
  severity: 'critical',
  category: 'system',
  createdAt: '2026-01-31T14:00:00Z',
  url: 'https://app.pytake.com/alerts/1',
  ...extra,
});
const created = (id: string, extra: Record<string, unknown> = {}): AlertEvent =>
  parseAlertEvent({ type: 'alert.created', alert: alert(id, extra), occurredAt: '2026-01-31T14:00:00Z' });
const stale = (id: string): AlertEvent =>
  parseAlertEvent({
    type: 'alert.stale',
    alert: alert(id),
    occurredAt: '2026-01-31T15:00:00Z',
    lastActivityAt: '2026-01-31T14:10:00Z',
  });

describe('createAlertStore', () => {
  describe('recordEvent() and recordDelivery()', () => {
    it('keeps each event with every target and its state under it', () => {
      const store = createAlertStore();
      const entry = store.recordEvent(created('a1'));
      store.recordDelivery(entry, {
        organizationId: 'org_acme',
        alertId: 'a1',
        eventType: 'alert.created',
        channel: 'email',
        target: 'd…@preview.local',
        status: 'delivered',
        attempts: 1,
        durationMs: 3,
        at: new Date(at),
      });
      store.recordDelivery(entry, {
        organizationId: 'org_acme',
        alertId: 'a1',
        eventType: 'alert.created',
        channel: 'slack',
        target: 'hooks.slack.com/…a1b2',
        status: 'failed',
        attempts: 3,
        durationMs: 30,
        error: { code: 'transient', message: 'Slack webhook failed temporarily: 503' },
        at: new Date(at),
      });
      const a = store.get('a1')!;
      expect(a).toMatchObject({
        severity: 'critical',
        organizationId: 'org_acme',
        status: 'open',
        stale: false,
      });
      expect(a.timeline).toHaveLength(1);
      expect(a.timeline[0]!.targets).toEqual([
        expect.objectContaining({ channel: 'email', state: 'delivered', attempts: 1 }),
        expect.objectContaining({ channel: 'slack', state: 'failed', errorCode: 'transient', attempts: 3 }),
      ]);
    });

    it('replaces a target state (a queued job that is delivered later) instead of adding a row', () => {
      const store = createAlertStore();
      const entry = store.recordEvent(created('a1'));
      const target = { channel: 'slack', target: 'hooks.slack.com/…a1b2', at, attempts: 0 };
      store.setTarget(entry, { ...target, state: 'waiting' });
      store.setTarget(entry, { ...target, state: 'retrying', attempts: 1, errorCode: 'transient' });
      store.setTarget(entry, { ...target, state: 'delivered', attempts: 2 });
      expect(store.get('a1')!.timeline[0]!.targets).toEqual([
        expect.objectContaining({ state: 'delivered', attempts: 2 }),
      ]);
    });

    it('marks an alert stale while its last event is alert.stale, and derives its actions', () => {
      const store = createAlertStore();
      store.recordEvent(created('a1'));
      store.applyAction('a1', { action: 'acknowledge', user: 'ana', at, source: 'console' });
      store.recordEvent(stale('a1'));
      const a = store.get('a1')!;
      // The stale event still says "open": the acknowledgement made here stands.
      expect(a).toMatchObject({ stale: true, status: 'acknowledged', lastEventType: 'alert.stale' });
      expect(a.actions).toEqual(['view', 'resolve', 'assign']);
      expect(store.list()[0]).toMatchObject({ alertId: 'a1', stale: true });
    });
  });

  describe('applyAction()', () => {
    it('acknowledges, assigns and resolves an alert, newest activity first', () => {
      const store = createAlertStore();
      store.applyAction('a1', { action: 'acknowledge', user: 'ana', at, source: 'slack' });
      store.applyAction('a1', { action: 'assign', user: 'ana', assignee: 'bruno', at, source: 'console' });
      const { alert: state } = store.applyAction('a1', {
        action: 'resolve',
        user: 'bruno',
        at,
        source: 'slack',
      });
      expect(state).toMatchObject({
        status: 'resolved',
        acknowledgedBy: 'ana',
        resolvedBy: 'bruno',
        assignee: 'bruno',
        actions: [],
      });
      expect(state.activity.map((a) => a.action)).toEqual(['resolve', 'assign', 'acknowledge']);
      expect(state.timeline.map((e) => [e.kind, e.type, e.by, e.source])).toEqual([
        ['action', 'acknowledge', 'ana', 'slack'],
        ['action', 'assign', 'ana', 'console'],
        ['action', 'resolve', 'bruno', 'slack'],
      ]);
    });

    it('does not reopen a resolved alert on a late acknowledge', () => {
      const store = createAlertStore();
      store.applyAction('a1', { action: 'resolve', user: 'ana', at, source: 'slack' });
      expect(
        store.applyAction('a1', { action: 'acknowledge', user: 'bruno', at, source: 'slack' }).alert.status,
      ).toBe('resolved');
    });
  });

  describe('list()', () => {
    it('lists the most recently updated first, without timelines', () => {
      const store = createAlertStore();
      store.recordEvent(created('a1'));
      store.recordEvent(created('a2'));
      store.applyAction('a1', { action: 'resolve', user: 'ana', at, source: 'console' });
      expect(store.list().map((a) => [a.alertId, a.status])).toEqual([
        ['a1', 'resolved'],
        ['a2', 'open'],
      ]);
      expect(store.list()[0]).not.toHaveProperty('timeline');
    });

    it('forgets the least recently updated alert beyond its size, and old timeline entries beyond theirs', () => {
      const changes: string[] = [];
      const store = createAlertStore({
        maxAlerts: 2,
        maxTimeline: 2,
        onChange: (a) => changes.push(a.alertId),
      });
      store.recordEvent(created('a1'));
      store.recordEvent(created('a2'));
      store.recordEvent(created('a1'));
      store.recordEvent(created('a3'));
      expect(store.list().map((a) => a.alertId)).toEqual(['a3', 'a1']);
      store.recordEvent(stale('a1'));
      expect(store.get('a1')!.timeline.map((e) => e.type)).toEqual(['alert.created', 'alert.stale']);
      expect(store.size).toBe(2);
      expect(changes).toEqual(['a1', 'a2', 'a1', 'a3', 'a1']);
    });
  });
});
