import { ConfigError, ValidationError } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
import { createInProcessSource } from './in-process-source.js';
import { alertEvent, deliveryRecord } from './testing/fixtures.js';

describe('createInProcessSource', () => {
  it('refuses a bound that is not a whole number from 1', () => {
    expect(() => createInProcessSource({ maxAlerts: 0 })).toThrow(ConfigError);
    expect(() => createInProcessSource({ maxAlerts: 0 })).toThrow(/maxAlerts/);
  });

  describe('listAlerts()', () => {
    it('pages through every alert newest first, past any cap', async () => {
      const source = createInProcessSource();
      for (let n = 0; n < 250; n++) source.event(alertEvent({ id: `a${n}`, organizationId: 'acme' }));
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await source.listAlerts({ limit: 100, ...(cursor ? { cursor } : {}) });
        seen.push(...page.alerts.map((a) => a.alertId));
        cursor = page.next;
      } while (cursor);
      expect(seen).toHaveLength(250);
      expect(seen[0]).toBe('a249');
      expect(seen.at(-1)).toBe('a0');
      expect(new Set(seen).size).toBe(250);
    });

    it('filters by organization, severity, status, stale and search', async () => {
      const source = createInProcessSource();
      source.event(alertEvent({ id: 'disk', organizationId: 'acme', severity: 'critical' }));
      source.event(alertEvent({ id: 'cpu', organizationId: 'globex', title: 'CPU hot' }));
      source.event(alertEvent({ id: 'old', organizationId: 'acme' }, 'alert.stale'));
      source.event(alertEvent({ id: 'done', organizationId: 'acme' }, 'alert.resolved'));
      const ids = async (query: Parameters<typeof source.listAlerts>[0]) =>
        (await source.listAlerts(query)).alerts.map((a) => a.alertId);
      expect(await ids({ organizationIds: ['globex'] })).toEqual(['cpu']);
      expect(await ids({ organizationIds: [] })).toEqual([]);
      expect(await ids({ severity: 'critical' })).toEqual(['disk']);
      expect(await ids({ status: 'resolved' })).toEqual(['done']);
      expect(await ids({ stale: true })).toEqual(['old']);
      expect(await ids({ search: 'cpu HOT' })).toEqual(['cpu']);
    });

    it('refuses a cursor it never gave', async () => {
      await expect(createInProcessSource().listAlerts({ cursor: 'x' })).rejects.toThrow(ValidationError);
    });

    it('keeps the newest maxAlerts alerts and forgets the one updated longest ago', async () => {
      const source = createInProcessSource({ maxAlerts: 3 });
      for (const id of ['a1', 'a2', 'a3']) source.event(alertEvent({ id, organizationId: 'acme' }));
      // a1 is updated, so a2 is now the one updated longest ago.
      source.record(deliveryRecord(alertEvent({ id: 'a1', organizationId: 'acme' })));
      source.event(alertEvent({ id: 'a4', organizationId: 'acme' }));
      expect(source.size).toBe(3);
      expect((await source.listAlerts({})).alerts.map((a) => a.alertId)).toEqual(['a4', 'a1', 'a3']);
    });
  });

  describe('getAlert()', () => {
    it("shows an alert's timeline with each target's state, its Slack messages and email subjects", async () => {
      const source = createInProcessSource();
      const created = alertEvent({ id: 'a1', organizationId: 'acme' });
      source.event(created);
      source.record(
        deliveryRecord(created, { status: 'failed', attempts: 3, error: { code: 'timeout', message: 'x' } }),
      );
      source.record(
        deliveryRecord(created, {
          channel: 'slack-api',
          target: 'alerts (C024BE91L)',
          providerId: '1503435956.000247',
        }),
      );
      source.record(deliveryRecord(created, { channel: 'email', target: 'o…@acme.com +2' }), {
        emailSubject: '[High] Disk almost full',
      });
      const resolved = alertEvent({ id: 'a1', organizationId: 'acme' }, 'alert.resolved');
      source.event(resolved);
      source.record(deliveryRecord(resolved, { status: 'digested', digestId: 'dg-1' }));
      const alert = await source.getAlert('acme', 'a1');
      expect(alert).toMatchObject({
        status: 'resolved',
        lastEventType: 'alert.resolved',
        digestIds: ['dg-1'],
        slackMessages: [{ channel: 'alerts (C024BE91L)', ts: '1503435956.000247' }],
        emailSubjects: ['[High] Disk almost full'],
      });
      expect(alert?.timeline.map((e) => [e.type, e.targets.map((t) => `${t.channel}:${t.state}`)])).toEqual([
        ['alert.created', ['slack:failed', 'slack-api:delivered', 'email:delivered']],
        ['alert.resolved', ['slack:digested']],
      ]);
      expect(alert?.timeline[0]?.targets[0]).toMatchObject({ attempts: 3, errorCode: 'timeout' });
      // The summary holds each target's latest state.
      expect(alert?.targets.map((t) => `${t.channel}:${t.state}`)).toEqual([
        'slack:digested',
        'slack-api:delivered',
        'email:delivered',
      ]);
      expect(await source.getAlert('globex', 'a1')).toBeUndefined();
    });

    it('shows a record whose event it never saw, and actions in the timeline', async () => {
      const source = createInProcessSource();
      const created = alertEvent({ id: 'a1', organizationId: 'acme' });
      source.record(deliveryRecord(created));
      await source.recordAction(
        { kind: 'acknowledge', organizationId: 'acme', alertId: 'a1' },
        { id: 'u1', name: 'Ana' },
        new Date(),
      );
      await source.recordAction(
        { kind: 'assign', organizationId: 'acme', alertId: 'a1' },
        { id: 'u1', name: 'Ana' },
        new Date(),
      );
      const alert = await source.getAlert('acme', 'a1');
      expect(alert).toMatchObject({ status: 'acknowledged', assignee: 'Ana' });
      expect(alert?.title).toBeUndefined();
      expect(alert?.timeline.map((e) => [e.kind, e.type, e.by])).toEqual([
        ['event', 'alert.created', undefined],
        ['action', 'acknowledge', 'Ana'],
        ['action', 'assign', 'Ana'],
      ]);
      // A later "open" event from the service does not undo the acknowledgement.
      source.event(created);
      expect((await source.getAlert('acme', 'a1'))?.status).toBe('acknowledged');
    });
  });

  describe('health()', () => {
    it('counts delivered and failed per organization over the last hour and day', async () => {
      let now = new Date('2026-03-01T12:00:00Z');
      const source = createInProcessSource({ now: () => now });
      const acme = alertEvent({ id: 'a1', organizationId: 'acme' });
      const globex = alertEvent({ id: 'g1', organizationId: 'globex' });
      source.record(deliveryRecord(acme, { at: new Date('2026-03-01T08:00:00Z') }));
      source.record(deliveryRecord(acme, { status: 'partial', at: new Date('2026-03-01T11:30:00Z') }));
      source.record(deliveryRecord(acme, { status: 'failed', at: new Date('2026-03-01T11:59:00Z') }));
      source.record(deliveryRecord(acme, { status: 'skipped', at: new Date('2026-03-01T11:59:00Z') }));
      source.record(deliveryRecord(globex, { at: new Date('2026-03-01T11:59:00Z') }));
      expect(await source.health(['acme'])).toEqual([
        {
          organizationId: 'acme',
          lastHour: { delivered: 1, failed: 1, dead: 0 },
          lastDay: { delivered: 2, failed: 1, dead: 0 },
        },
      ]);
      expect((await source.health(undefined)).map((h) => h.organizationId)).toEqual(['acme', 'globex']);
      now = new Date('2026-03-02T11:00:00Z');
      expect(await source.health(['acme'])).toEqual([
        {
          organizationId: 'acme',
          lastHour: { delivered: 0, failed: 0, dead: 0 },
          lastDay: { delivered: 1, failed: 1, dead: 0 },
        },
      ]);
    });
  });
});
