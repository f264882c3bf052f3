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
const ALERT = 'alrt_e2e_console';

let preview: RunningPreview;
let browser: Browser;
let page: Page;

const shot = (name: string) => page.screenshot({ path: `${screenshots}${name}.png`, fullPage: false });

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

/** Three events of one alert, as a service would send them: created, escalated, then stale. */
async function events() {
  const created = (await (await fetch(`${preview.url}/api/fixtures/created-critical`)).json()) as {
    alert: { createdAt: string } & Record<string, unknown>;
    occurredAt: string;
  };
  const alert = { ...created.alert, id: ALERT };
  const at = (minutes: number) => new Date(Date.parse(alert.createdAt) + minutes * 60_000).toISOString();
  return [
    { ...created, alert },
    {
      type: 'alert.escalated',
      alert: { ...alert, status: 'escalated', escalationLevel: 2 },
      occurredAt: at(30),
      fromLevel: 1,
      toLevel: 2,
      reason: 'No acknowledgement in 30 minutes',
    },
    { type: 'alert.stale', alert, occurredAt: at(600), lastActivityAt: at(30) },
  ];
}

const notify = async (event: unknown) => {
  const response = await fetch(`${preview.url}/api/notify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ event }),
  });
  expect(response.status).toBe(200);
};

describe('alert console in Chromium', () => {
  it('updates live as events arrive, acts through Slack and the console alike, and shows both', async () => {
    const liveRequests: Promise<string>[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/live'))
        liveRequests.push(r.allHeaders().then((h) => h['last-event-id'] ?? 'none'));
    });
    await page.goto(`${preview.url}/?tab=console`);
    await expect.poll(() => page.getByTestId('console-memory-note').textContent()).toContain('memory');
    // Marks this page load: if anything reloaded the page, the mark would be gone.
    await page.evaluate(() => {
      (window as unknown as { consoleMark: number }).consoleMark = 42;
    });
    const row = page.locator(`[data-alert="${ALERT}"]`);
    const [created, escalated, stale] = await events();

    await notify(created);
    await expect.poll(() => row.getByTestId('alert-last-event').textContent()).toContain('alert.created');
    // The live channel drops just before the escalation is sent: the browser reconnects on its own,
    // sends Last-Event-ID, and gets what it missed, once.
    preview.preview.replay.disconnectAll();
    await notify(escalated);
    await expect.poll(() => row.getByTestId('alert-last-event').textContent()).toContain('alert.escalated');
    const logTab = page.getByRole('tab', { name: /Delivery log/ });
    const served = async () =>
      ((await (await fetch(`${preview.url}/api/deliveries`)).json()) as unknown[]).length;
    await expect
      .poll(async () => (await logTab.textContent()) === `Delivery log (${await served()})`)
      .toBe(true);
    expect(await served()).toBe(6);
    // It did reconnect, naming the last event it had.
    expect(await Promise.all(liveRequests)).toEqual(['none', expect.stringMatching(/^\d+$/)]);
    expect(await row.getByTestId('alert-status').textContent()).toBe('escalated');
    await notify(stale);
    await expect.poll(() => row.getByTestId('alert-last-event').textContent()).toContain('alert.stale');
    await expect.poll(() => row.getByTestId('alert-stale').isVisible()).toBe(true);
    expect(await row.textContent()).toContain('critical');
    // Filters and search, on the live list.
    await page.getByLabel('Severity').selectOption('low');
    await expect.poll(() => row.count()).toBe(0);
    await page.getByLabel('Severity').selectOption('');
    await page.getByLabel('Search alerts').fill('e2e_console');
    await expect.poll(() => row.count()).toBe(1);
    await shot('13-console-list');

    // The alert's page: three events, each with its targets delivered.
    await row.getByRole('button').first().click();
    const timeline = page.getByTestId('alert-timeline');
    await expect.poll(() => timeline.locator('li[data-entry^="alert."]').count()).toBe(3);
    await expect.poll(() => timeline.locator('[data-target-state="delivered"]').count()).toBe(9);
    await shot('14-console-alert');

    // Acknowledge from the console: the page updates live, Acknowledge is gone.
    const actions = page.getByTestId('alert-actions');
    await actions.getByRole('button', { name: 'Acknowledge' }).click();
    await expect
      .poll(() => page.getByTestId('alert-page-meta').textContent())
      .toContain('acknowledged by console.operator');
    await expect.poll(() => actions.getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    await expect.poll(() => timeline.locator('li[data-entry="acknowledge"]').count()).toBe(1);

    // The Slack view: every Web API message of the alert changed with chat.update.
    await page.getByRole('button', { name: 'Show in the Slack view' }).click();
    const updated = page.locator(
      '[data-testid="fake-slack-message"][data-via="api"][data-edited="chat.update"]',
    );
    await expect.poll(() => updated.count()).toBe(3);
    await expect.poll(() => updated.first().textContent()).toContain('Acknowledged by console.operator');
    expect(await updated.first().getByRole('button', { name: 'Acknowledge' }).count()).toBe(0);
    expect(await updated.first().getByRole('button', { name: 'Resolve' }).count()).toBe(1);
    expect(await updated.first().textContent()).toContain('(edited)');
    await updated.first().scrollIntoViewIfNeeded();
    await shot('15-slack-after-console-acknowledge');

    // Resolve from a Slack button on the newest webhook message: replaced through its response_url.
    const webhook = page.locator('[data-testid="fake-slack-message"][data-via="webhook"]').first();
    await webhook.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => webhook.getAttribute('data-edited')).toBe('response_url');
    await expect.poll(() => webhook.textContent()).toContain('Resolved by preview.designer');
    expect(await webhook.getByRole('button', { name: 'Resolve' }).count()).toBe(0);
    await webhook.scrollIntoViewIfNeeded();
    await shot('16-slack-after-button-resolve');

    // ... and the console shows it, without a reload.
    await page.getByRole('tab', { name: /Console/ }).click();
    await expect.poll(() => row.getByTestId('alert-status').textContent()).toBe('resolved');
    await row.getByRole('button').first().click();
    await expect
      .poll(() => timeline.locator('li[data-entry="resolve"]').textContent())
      .toContain('from slack');
    await expect.poll(() => actions.textContent()).toContain('Nothing left to do');
    await shot('17-console-alert-resolved');
    expect(await page.evaluate(() => (window as unknown as { consoleMark?: number }).consoleMark)).toBe(42);
  }, 300_000);
});
