import { describe, expect, it } from 'vitest';
import type { Severity } from './alert.js';
import { type AlertEvent, parseAlertEvent } from './events.js';
import { type StormSettings, stormDefaults } from './storm-config.js';
import { createStormTracker } from './storm-tracker.js';

const T0 = Date.parse('2026-01-31T14:30:00Z');
const settings: StormSettings = { ...stormDefaults };
const WEBHOOK = 'slack:ops-webhook';

function event(
  id: string,
  type: 'created' | 'resolved' | 'escalated' = 'created',
  severity: Severity = 'low',
) {
  const alert = {
    id,
    organizationId: 'org_acme',
    title: `Disk full on ${id}`,
    severity,
    category: 'system',
    createdAt: '2026-01-31T14:00:00Z',
  };
  const extra = type === 'escalated' ? { fromLevel: 1, toLevel: 2 } : {};
  return parseAlertEvent({ type: `alert.${type}`, alert, occurredAt: '2026-01-31T14:30:00Z', ...extra });
}

/** A tracker on a virtual clock that starts at T0. */
function setup() {
  let now = T0;
  const tracker = createStormTracker({ now: () => now });
  return {
    tracker,
    at: (ms: number) => {
      now = T0 + ms;
    },
  };
}

/** Sends `count` low events a, b, c... (prefixed) one second apart from `from` ms; returns the decisions. */
function burst(
  { tracker, at }: ReturnType<typeof setup>,
  count: number,
  { from = 0, prefix = 'a', target = WEBHOOK } = {},
) {
  return Array.from({ length: count }, (_, i) => {
    at(from + i * 1000);
    return tracker.decide(target, settings, event(`${prefix}${i}`));
  });
}

const idsOf = (events: AlertEvent[]) => events.map((e) => `${e.type} ${e.alert.id}`);

describe('createStormTracker()', () => {
  describe('decide()', () => {
    it('sends every event alone while the target is quiet', () => {
      const t = setup();
      expect(burst(t, 10)).toEqual(Array(10).fill({ kind: 'alone' }));
      expect(t.tracker.nextDueAt()).toBeUndefined();
    });

    it('starts a storm with the 11th event within 60 s, holding that event first', () => {
      const t = setup();
      const decisions = burst(t, 12);
      expect(decisions.slice(0, 10)).toEqual(Array(10).fill({ kind: 'alone' }));
      const start = T0 + 10_000;
      expect(decisions[10]).toEqual({ kind: 'fold', digestId: expect.any(String), dueAt: start + 60_000 });
      expect(decisions[11]).toEqual(decisions[10]);
    });

    it('does not start a storm when the events are spread over more than the window', () => {
      const t = setup();
      const decisions = burst(t, 11).slice(0, 10);
      t.at(70_000);
      expect(t.tracker.decide(WEBHOOK, settings, event('late'))).toEqual({ kind: 'alone' });
      expect(decisions.every((d) => d.kind === 'alone')).toBe(true);
    });

    it('sends events at or above bypassSeverity alone during a storm', () => {
      const t = setup();
      burst(t, 11);
      expect(t.tracker.decide(WEBHOOK, settings, event('db', 'created', 'critical'))).toEqual({
        kind: 'alone',
      });
      const high = { ...settings, bypassSeverity: 'high' } as const;
      expect(t.tracker.decide(WEBHOOK, high, event('api', 'created', 'high'))).toEqual({ kind: 'alone' });
      expect(t.tracker.decide(WEBHOOK, settings, event('api2', 'created', 'high')).kind).toBe('fold');
    });

    it('never folds with settings === false', () => {
      const t = setup();
      for (let i = 0; i < 50; i++) {
        expect(t.tracker.decide(WEBHOOK, false, event(`a${i}`))).toEqual({ kind: 'alone' });
      }
      expect(t.tracker.nextDueAt()).toBeUndefined();
      expect(t.tracker.flushAll()).toEqual([]);
    });

    it('keeps targets independent', () => {
      const t = setup();
      burst(t, 11);
      t.at(11_000);
      expect(t.tracker.decide('slack:other-webhook', settings, event('b0'))).toEqual({ kind: 'alone' });
      const folds = burst(t, 11, { target: 'email:org_acme', prefix: 'e' });
      expect(folds[10]?.kind).toBe('fold');
      expect(folds[10]).not.toEqual(burst(t, 1, { from: 10_000, prefix: 'z' })[0]);
    });
  });

  describe('due()', () => {
    it('hands out one digest per interval with its events, and removes it', () => {
      const t = setup();
      burst(t, 15); // a10..a14 folded, storm began at 10 s
      const first = t.tracker.nextDueAt();
      expect(first).toBe(T0 + 70_000);
      expect(t.tracker.due(T0 + 69_999)).toEqual([]);
      const [digest, ...rest] = t.tracker.due(T0 + 70_000);
      expect(rest).toEqual([]);
      expect(digest?.target).toBe(WEBHOOK);
      expect(idsOf(digest?.events ?? [])).toEqual([
        'alert.created a10',
        'alert.created a11',
        'alert.created a12',
        'alert.created a13',
        'alert.created a14',
      ]);
      expect(t.tracker.due(T0 + 70_000)).toEqual([]);
    });

    it('makes the first digest due at most intervalMs after the storm began', () => {
      const t = setup();
      const fold = burst(t, 11, { from: 5_000 })[10];
      expect(fold).toEqual({ kind: 'fold', digestId: expect.any(String), dueAt: T0 + 15_000 + 60_000 });
      expect(t.tracker.nextDueAt()).toBe(T0 + 75_000);
    });

    it('gives each interval its own digest id, aligned to the start of the storm, without the target in clear', () => {
      const t = setup();
      const first = burst(t, 30, { prefix: 'a' })[10]; // 0..29 s: storm from 10 s
      const second = burst(t, 30, { from: 70_000, prefix: 'b' })[0]; // second interval, still stormy
      expect(first).toMatchObject({ kind: 'fold', dueAt: T0 + 70_000 });
      expect(second).toMatchObject({ kind: 'fold', dueAt: T0 + 130_000 });
      const ids = [first, second].map((d) => (d?.kind === 'fold' ? d.digestId : ''));
      expect(ids[0]).toMatch(/^[0-9a-f]{16}-\d+$/);
      expect(ids[0]).not.toBe(ids[1]);
      expect(ids.join()).not.toContain('ops-webhook');
      expect(t.tracker.due(T0 + 130_000).map((d) => d.digestId)).toEqual(ids);
    });

    it('reports an alert created and resolved within one interval once, as resolved', () => {
      const t = setup();
      burst(t, 11);
      t.tracker.decide(WEBHOOK, settings, event('x'));
      t.tracker.decide(WEBHOOK, settings, event('y'));
      t.tracker.decide(WEBHOOK, settings, event('x', 'resolved'));
      const [digest] = t.tracker.due(T0 + 70_000);
      expect(idsOf(digest?.events ?? [])).toEqual([
        'alert.created a10',
        'alert.resolved x',
        'alert.created y',
      ]);
    });

    it('puts the resolution of an alert from an earlier digest into the next one', () => {
      const t = setup();
      burst(t, 21); // storm from 10 s, 11 events in its first interval: it goes on
      const [first] = t.tracker.due(T0 + 70_000);
      expect(idsOf(first?.events ?? [])).toContain('alert.created a12');
      t.at(75_000);
      const decision = t.tracker.decide(WEBHOOK, settings, event('a12', 'resolved'));
      expect(decision).toMatchObject({ kind: 'fold', dueAt: T0 + 130_000 });
      const [second] = t.tracker.due(T0 + 130_000);
      expect(idsOf(second?.events ?? [])).toEqual(['alert.resolved a12']);
    });

    it('sends a critical resolution of a digested alert alone, naming the digest that reported it', () => {
      const t = setup();
      burst(t, 21);
      const [first] = t.tracker.due(T0 + 70_000);
      t.at(75_000);
      const decision = t.tracker.decide(WEBHOOK, settings, event('a12', 'resolved', 'critical'));
      expect(decision).toEqual({ kind: 'alone', firstReportedInDigest: first?.digestId });
    });

    it('ends the storm after an interval with no more than threshold events; then events go alone', () => {
      const t = setup();
      burst(t, 20); // first interval (10 s to 70 s): a10..a19 = 10 events, not more than threshold
      expect(t.tracker.due(T0 + 70_000)).toHaveLength(1);
      expect(t.tracker.nextDueAt()).toBeUndefined();
      t.at(200_000);
      expect(t.tracker.decide(WEBHOOK, settings, event('a12', 'resolved'))).toEqual({ kind: 'alone' });
    });

    it('ends the storm even when no timer called due() in time', () => {
      const t = setup();
      burst(t, 11);
      t.at(200_000);
      expect(t.tracker.decide(WEBHOOK, settings, event('later'))).toEqual({ kind: 'alone' });
      expect(idsOf(t.tracker.due().flatMap((d) => d.events))).toEqual(['alert.created a10']);
    });

    it('counts events that went alone toward keeping the storm going', () => {
      const t = setup();
      burst(t, 11); // storm from 10 s, 1 event so far
      for (let i = 0; i < 10; i++) t.tracker.decide(WEBHOOK, settings, event(`c${i}`, 'created', 'critical'));
      t.tracker.due(T0 + 70_000);
      expect(t.tracker.nextDueAt()).toBe(T0 + 130_000);
    });
  });

  describe('flushAll()', () => {
    it('returns every held digest at once, due or not, oldest first, and leaves nothing behind', () => {
      const t = setup();
      burst(t, 30); // storm from 10 s, still going into a second interval
      burst(t, 11, { target: 'email:org_acme', prefix: 'e' });
      burst(t, 5, { from: 70_000, prefix: 'b' }); // closes the first interval of the webhook
      const flushed = t.tracker.flushAll();
      expect(flushed.map((d) => [d.target, d.events.length])).toEqual([
        [WEBHOOK, 20],
        ['email:org_acme', 1],
        [WEBHOOK, 5],
      ]);
      expect(t.tracker.flushAll()).toEqual([]);
      expect(t.tracker.nextDueAt()).toBeUndefined();
    });
  });
});
