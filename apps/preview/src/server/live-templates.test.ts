import { isNotifyError } from '@pytake/notify-core';
import { renderEmailDigestForTenant, renderSlackDigestForTenant } from '@pytake/notify-templates';
import { digestFixture, fixtures, fixtureTenant } from '@pytake/notify-templates/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyTemplates, type TemplatesCopy } from '../testing/templates-copy.js';
import { createPreviewApp } from './app.js';
import { createLiveTemplates, type LiveTemplates, type TemplatesChange } from './live-templates.js';

const event = fixtures['escalated-admin'];
const tenant = { ...fixtureTenant, locale: 'en' as const };
// The label of the severity row, in the email's details table and the Slack fields.
const severityLabel = /severity: '[^']*'/;

let copy: TemplatesCopy;
let live: LiveTemplates;
const changes: TemplatesChange[] = [];
const changed = (count: number) =>
  expect.poll(() => changes.length, { timeout: 60_000 }).toBeGreaterThanOrEqual(count);

beforeAll(() => {
  copy = copyTemplates();
  // A short render ceiling for the loop below; loads keep theirs (a cold start on a busy machine).
  live = createLiveTemplates({
    root: copy.root,
    tsconfig: copy.tsconfig,
    renderTimeoutMs: 5_000,
    onChange: (change) => changes.push(change),
  });
  live.warmUp();
});
afterAll(async () => {
  await live?.close();
  copy?.remove();
});

describe('createLiveTemplates', () => {
  it('renders the email and the Slack message from the sources', async () => {
    const email = await live.templates.renderEmailForTenant(event, tenant);
    expect(email.subject).toContain('Admin');
    expect(email.html).toContain('Severity');
    const slack = await live.templates.renderSlackForTenant(event, tenant);
    expect(JSON.stringify(slack)).toContain('Severity');
  });

  it('renders a storm digest by email and Slack from the sources, as the package does', async () => {
    const digest = digestFixture(12);
    const email = await live.templates.renderEmailDigestForTenant(digest, tenant);
    expect(email).toEqual(await renderEmailDigestForTenant(digest, tenant));
    const slack = await live.templates.renderSlackDigestForTenant(digest, tenant);
    expect(slack).toEqual(renderSlackDigestForTenant(digest, tenant));
  });

  it('reloads after an edit under the root: onChange says so and renders show the edit', async () => {
    copy.edit('i18n/en.ts', severityLabel, "severity: 'Severity (live edit 1)'");
    await changed(1);
    expect(changes.at(-1)).toMatchObject({ ok: true });
    expect((await live.templates.renderEmailForTenant(event, tenant)).html).toContain(
      'Severity (live edit 1)',
    );
    // Slack's renderer and the files it imports are fresh too, not only the entry module.
    expect(JSON.stringify(await live.templates.renderSlackForTenant(event, tenant))).toContain(
      'Severity (live edit 1)',
    );
  });

  it('answers with the error of a broken edit, through the app as a 500, and recovers when fixed', async () => {
    const before = changes.length;
    // An unclosed parenthesis: esbuild cannot compile the file.
    copy.edit('i18n/en.ts', severityLabel, "severity: ('Severity (broken'");
    await changed(before + 1);
    expect(changes.at(-1)).toMatchObject({ ok: false, error: expect.stringMatching(/en\.ts:\d+:\d+/) });

    const app = createPreviewApp({
      email: { kind: 'email', send: async () => ({}) } as never,
      slack: { kind: 'slack', send: async () => ({}) } as never,
      webhookUrl: () => 'http://127.0.0.1:9/hooks/slack/T/B/x',
      signingSecret: 'test-secret',
      showSigningSecret: false,
      destinations: { email: 'none', slack: 'none' },
      templates: live.templates,
    }).app;
    const response = await app.request('/api/render', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event }),
    });
    expect(response.status).toBe(500);
    const body = (await response.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('template_error');
    // Where to look: the file and line, without the worker's `?live=N`.
    expect(body.error.message).toMatch(/The templates failed to load: .*en\.ts:\d+:\d+/s);
    expect(body.error.message).not.toContain('?live=');

    copy.edit('i18n/en.ts', "severity: ('Severity (broken'", "severity: 'Severity (fixed)'");
    await changed(before + 2);
    expect(changes.at(-1)).toMatchObject({ ok: true });
    expect((await live.templates.renderEmailForTenant(event, tenant)).html).toContain('Severity (fixed)');
  });

  it('keeps a validation error a validation error, with its issues', async () => {
    const error = await live.templates
      .renderEmailForTenant({ ...event, occurredAt: 'yesterday' } as never, tenant)
      .catch((e: unknown) => e);
    expect(isNotifyError(error) && error.code).toBe('validation');
    expect((error as { issues: { path: string }[] }).issues.map((i) => i.path)).toEqual(['occurredAt']);
  });

  it('cuts a render stuck in a loop, and the next edit brings a fresh worker', async () => {
    const before = changes.length;
    copy.edit(
      'i18n/en.ts',
      /level: \(level\) =>/,
      'level: (level) => { for (;;) {} },\n  _unused: (level: number) =>',
    );
    await changed(before + 1);
    const error = await live.templates.renderEmailForTenant(event, tenant).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/did not answer within 5 s/);

    copy.edit(
      'i18n/en.ts',
      /level: \(level\) => \{ for \(;;\) \{\} \},\n {2}_unused: \(level: number\) =>/,
      'level: (level) =>',
    );
    await changed(before + 2);
    expect(changes.at(-1)).toMatchObject({ ok: true });
    expect((await live.templates.renderEmailForTenant(event, tenant)).subject).toContain('Admin');
  }, 120_000);

  it('stops rendering and watching once closed', async () => {
    const other = createLiveTemplates({ root: copy.root, tsconfig: copy.tsconfig, watch: false });
    expect((await other.templates.renderSlackForTenant(event, tenant)).text).toContain('Admin');
    await other.close();
    await expect(other.templates.renderSlackForTenant(event, tenant)).rejects.toThrow(/closed/);
  });
});
