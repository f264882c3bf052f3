import { parseAlertEvent } from '@pytake/notify-core';
import { fixtures, fixtureTenant } from '@pytake/notify-templates/fixtures';
import { describe, expect, it } from 'vitest';
import type { ConsoleAlert } from './alert-store.js';
import { type PreviewTemplates, packageTemplates } from './preview-templates.js';
import { alertAfterActions, renderAlertMessage, renderUpdatedMessage } from './updated-message.js';

const event = fixtures['created-critical'];
const tenant = { ...fixtureTenant, locale: 'en' as const };
const acknowledged: ConsoleAlert = {
  alertId: event.alert.id,
  status: 'acknowledged',
  stale: false,
  updatedAt: new Date().toISOString(),
  acknowledgedBy: 'ana',
  actions: ['view', 'resolve', 'assign'],
  activity: [],
  timeline: [],
};

describe('renderUpdatedMessage', () => {
  it('renders with the package templates by default, with the line saying who acted', async () => {
    const text = JSON.stringify(await renderUpdatedMessage({ event }, acknowledged, tenant));
    expect(text).toContain('Acknowledged by *ana*');
    expect(text).not.toContain('"action_id":"alert.acknowledge"');
  });

  it("renders with the app's templates when given (the live copy in pnpm demo)", async () => {
    // Templates that differ from the package's in a way a designer's edit could: another locale.
    const edited: PreviewTemplates = {
      ...packageTemplates,
      renderSlackForTenant: (e, t, o) =>
        packageTemplates.renderSlackForTenant(e, { ...t, locale: 'pt-BR' }, o),
    };
    const ours = JSON.stringify(await renderUpdatedMessage({ event }, acknowledged, tenant, edited));
    const theirs = JSON.stringify(await renderUpdatedMessage({ event }, acknowledged, tenant));
    expect(ours).not.toEqual(theirs);
    expect(ours).toEqual(
      JSON.stringify(await renderUpdatedMessage({ event }, acknowledged, { ...tenant, locale: 'pt-BR' })),
    );
  });
});

describe('renderAlertMessage', () => {
  it('renders an event whose alert nobody acted on here as the templates do', async () => {
    expect(await renderAlertMessage(event, tenant)).toEqual(
      await packageTemplates.renderSlackForTenant(event, tenant),
    );
  });

  it('draws what renderUpdatedMessage draws from the alert alone, as a queue worker gets it from Redis', async () => {
    const now = new Date('2030-01-01T00:00:00Z');
    const resolved: ConsoleAlert = { ...acknowledged, status: 'resolved', resolvedBy: 'bo', assignee: 'cy' };
    for (const state of [acknowledged, resolved]) {
      // What updateAlertMessages() keeps of the alert (JSON), and how the worker rebuilds the event.
      const alert = JSON.parse(JSON.stringify(alertAfterActions(event.alert, state, now)));
      const { alert: _, ...rest } = JSON.parse(JSON.stringify(event));
      const worker = await renderAlertMessage(parseAlertEvent({ ...rest, alert }), tenant);
      expect(worker).toEqual(await renderUpdatedMessage({ event }, state, tenant, packageTemplates, now));
    }
    const text = JSON.stringify(
      await renderAlertMessage({ ...event, alert: alertAfterActions(event.alert, resolved, now) }, tenant),
    );
    expect(text).toContain('Acknowledged by *ana* · Resolved by *bo* · Assigned to *cy*');
    expect(text).not.toContain('"action_id":"alert.resolve"');
  });
});
