import { fixtures, fixtureTenant } from '@pytake/notify-templates/fixtures';
import { describe, expect, it } from 'vitest';
import type { ConsoleAlert } from './alert-store.js';
import { type PreviewTemplates, packageTemplates } from './preview-templates.js';
import { renderUpdatedMessage } from './updated-message.js';

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
