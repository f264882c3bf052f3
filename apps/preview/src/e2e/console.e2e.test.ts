import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPreview, startPreview } from '../server/start-preview.js';

// Same Chromium, flags and screenshot folder as preview.e2e.test.ts.
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

let preview: RunningPreview;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  preview = await startPreview({ port: 0, smtpPort: 0, env: {} });
  browser = await chromium.launch({ executablePath, args, headless: true, timeout: 120_000 });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(60_000);
});
afterAll(async () => {
  await browser?.close();
  await preview?.close();
});

interface Fixture {
  alert: { id: string; title: string } & Record<string, unknown>;
  occurredAt: string;
}

describe('the mounted console (@pytake/notify-console) in Chromium', () => {
  it('lists a Send test live, shows its targets, and acts on the fake alert as the Slack buttons do', async () => {
    const liveRequests: Promise<string>[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/live'))
        liveRequests.push(r.allHeaders().then((h) => h['last-event-id'] ?? 'none'));
    });
    const fixture = (await (await fetch(`${preview.url}/api/fixtures/created-critical`)).json()) as Fixture;
    const { id: alertId, title } = fixture.alert;
    await page.goto(`${preview.url}/?fixture=created-critical&tab=slack`);
    await expect.poll(() => page.getByTestId('slack-message').textContent()).toContain(title);

    // The Console link opens the package's page beside the preview.
    const [opsPage] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByTestId('console-link').click(),
    ]);
    opsPage.setDefaultTimeout(60_000);
    await opsPage.setViewportSize({ width: 1440, height: 900 });
    expect(new URL(opsPage.url()).pathname).toBe('/console/');
    await expect.poll(() => opsPage.getByTestId('live-state').textContent()).toBe('live');
    const rows = opsPage.getByTestId('alert-row');
    await expect.poll(() => rows.count()).toBe(0);

    // Send test on the preview page: the alert shows in the console's list without a reload.
    await page.getByTestId('send-test').click();
    await expect.poll(() => page.getByTestId('send-notice').textContent()).toContain('delivered');
    await expect.poll(() => rows.count()).toBe(1);
    await expect.poll(() => rows.first().textContent()).toContain(title);
    await opsPage.screenshot({ path: `${screenshots}13-console-list.png` });

    // The alert's page: each target with its state, redacted as core's records are.
    await opsPage.getByRole('link', { name: title }).click();
    const view = opsPage.getByTestId('alert-view');
    await expect.poll(() => view.textContent()).toContain('d…@preview.local');
    expect(await view.textContent()).toContain('delivered');
    expect(await view.textContent()).not.toContain('designer@preview.local');
    await opsPage.screenshot({ path: `${screenshots}14-console-alert.png` });

    // Acknowledge from the console: the app's fake alert changes through the signed Slack path, and
    // the preview's Slack view shows it live.
    await opsPage.getByRole('button', { name: 'Acknowledge' }).click();
    await expect.poll(() => opsPage.getByTestId('alert-status').textContent()).toBe('acknowledged');
    const fake = async () =>
      (await (await fetch(`${preview.url}/api/alerts/${alertId}`)).json()) as {
        status: string;
        acknowledgedBy?: string;
      };
    await expect.poll(fake).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'console.operator' });
    await expect.poll(() => page.locator('main').textContent()).toContain('acknowledged by console.operator');
    await page.screenshot({ path: `${screenshots}15-slack-after-console-acknowledge.png` });

    // The app's own live channel drops: the preview page reconnects on its own with Last-Event-ID.
    preview.preview.replay.disconnectAll();
    // Resolve from a Slack button of the fake Slack: the console shows it without a reload.
    const webhook = page.locator('[data-testid="fake-slack-message"][data-via="webhook"]').first();
    await webhook.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => webhook.getAttribute('data-edited')).toBe('response_url');
    await expect.poll(fake).toMatchObject({ status: 'resolved' });
    await expect.poll(() => opsPage.getByTestId('alert-status').textContent()).toBe('resolved');
    await opsPage.screenshot({ path: `${screenshots}16-console-alert-resolved.png` });
    expect(await Promise.all(liveRequests)).toEqual(['none', expect.stringMatching(/^\d+$/)]);
  }, 300_000);
});
