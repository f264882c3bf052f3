import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleAction, Operator } from '../api-types.js';
import { createInProcessSource } from '../in-process-source.js';
import { alertEvent, deliveryRecord } from '../testing/fixtures.js';
import { type ConsoleServer, startConsoleServer } from '../testing/start-console-server.js';

// Debian's Chromium through playwright-core, with the flags that work on these machines.
const screenshots = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const args = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const source = createInProcessSource();
const actions: Array<[ConsoleAction, Operator]> = [];
let server: ConsoleServer;
let browser: Browser;
let page: Page;
const problems: string[] = [];

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  server = await startConsoleServer({
    source,
    basePath: '/ops/console',
    // Signed in by a cookie, as a service's own sign-in would do; EventSource sends it too.
    authorize: async (request) =>
      /(^|; )operator=ana(;|$)/.test(request.headers.get('cookie') ?? '')
        ? { id: 'ana', name: 'Ana' }
        : undefined,
    onAction: async (action, operator) => {
      actions.push([action, operator]);
    },
  });
  browser = await chromium.launch({ executablePath, args, headless: true, timeout: 120_000 });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  await context.addCookies([{ name: 'operator', value: 'ana', url: server.origin }]);
  page = await context.newPage();
  page.setDefaultTimeout(60_000);
  // A Content-Security-Policy violation or a script error shows here.
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const rows = () => page.getByTestId('alert-row');

describe('the console in Chromium', () => {
  it('updates the list live, renders hostile text as text, and acts from the alert page', async () => {
    await page.goto(`${server.origin}/ops/console/`);
    await expect.poll(() => page.getByTestId('live-state').textContent()).toBe('live');
    await expect.poll(() => rows().count()).toBe(0);

    const hostile = `<img src=x onerror="window.pwned=1"> Disk full on db-1`;
    const created = alertEvent({
      id: 'alr-e2e',
      organizationId: 'acme',
      title: hostile,
      severity: 'critical',
    });
    source.event(created);
    source.record(deliveryRecord(created, { at: new Date() }));
    await expect.poll(() => rows().count()).toBe(1);
    await expect.poll(() => rows().first().textContent()).toContain(hostile);
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();

    // A second alert arrives at the top, without a reload.
    source.event(alertEvent({ id: 'alr-e2e-2', organizationId: 'acme', title: 'CPU hot on web-3' }));
    await expect.poll(() => rows().first().textContent()).toContain('CPU hot on web-3');
    await page.screenshot({ path: `${screenshots}console-list.png` });

    await page.getByRole('link', { name: hostile }).click();
    await expect.poll(() => page.getByTestId('alert-view').textContent()).toContain('hooks.slack.com/…a1b2');
    expect(await page.getByTestId('alert-view').textContent()).toContain('delivered');
    await page.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => page.getByTestId('alert-status').textContent()).toBe('acknowledged');
    expect(actions).toEqual([
      [
        { kind: 'acknowledge', organizationId: 'acme', alertId: 'alr-e2e' },
        { id: 'ana', name: 'Ana' },
      ],
    ]);
    await page.screenshot({ path: `${screenshots}console-alert.png` });
    expect(problems).toEqual([]);
  });
});
