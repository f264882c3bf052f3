import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPreview, startPreview } from '../server/start-preview.js';

const screenshots = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
// Debian's chromium; `npx playwright install` cannot download browsers on these machines.
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

const shot = (name: string) => page.screenshot({ path: `${screenshots}${name}.png`, fullPage: false });
const subject = () => page.getByTestId('email-subject').textContent();

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  preview = await startPreview({ port: 0, smtpPort: 0, env: {} });
  // Playwright's 30 s defaults are too tight for a cold Chromium on two busy cores.
  browser = await chromium.launch({ executablePath, args, headless: true, timeout: 120_000 });
  page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(60_000);
});
afterAll(async () => {
  await browser?.close();
  await preview?.close();
});

describe('preview app in Chromium', () => {
  it('previews a fixture, survives broken props, and sends a test to the outbox and the delivery log', async () => {
    await page.goto(preview.url);

    // Gallery: pick the escalation to Admin.
    await page.locator('[data-fixture="escalated-admin"]').click();
    await expect.poll(subject).toContain('Admin');
    const frame = page.frameLocator('[data-testid="email-frame"]');
    await expect.poll(() => frame.locator('body').textContent()).toContain('Admin');
    await shot('1-email-desktop');
    await page.getByRole('tab', { name: 'Mobile 375' }).click();
    await shot('2-email-mobile');
    await page.getByRole('tab', { name: 'Plain text' }).click();
    await expect.poll(() => page.getByTestId('email-text').textContent()).toContain('Admin');

    // Slack view: drawn message with the color bar and buttons.
    await page.getByRole('tab', { name: 'Slack', exact: true }).click();
    const slack = page.getByTestId('slack-message');
    await expect.poll(() => slack.locator('.slack-attachment').count()).toBe(1);
    await expect.poll(() => slack.locator('.slack-header').first().textContent()).toContain('Database');
    await expect.poll(() => slack.textContent()).toContain('Admin');
    // Its Acknowledge button goes through the signed interactivity endpoint and shows the new state.
    await slack.getByRole('button', { name: 'Acknowledge' }).click();
    await expect
      .poll(() => page.getByTestId('alert-state').textContent())
      .toContain('acknowledged by preview.designer');
    await shot('3-slack');

    // pt-BR: the subject changes language.
    await page.getByRole('tab', { name: 'Email', exact: true }).click();
    const english = await subject();
    await page.getByRole('button', { name: 'pt-BR' }).click();
    await expect.poll(subject).not.toBe(english);
    await shot('4-email-pt-BR');

    // Break the JSON: the syntax error shows beside the editor, the preview stays.
    const editor = page.getByTestId('props-editor');
    const valid = await editor.inputValue();
    await editor.fill(valid.slice(0, -10));
    await expect.poll(() => page.getByTestId('editor-problem').textContent()).toContain('JSON syntax error');
    await expect.poll(() => page.getByTestId('send-test').isDisabled()).toBe(true);
    await shot('5-editor-syntax-error');

    // Valid JSON, invalid event: the ValidationError paths show.
    await editor.fill(valid.replace(/"severity": "\w+"/, '"severity": "urgent"'));
    await expect.poll(() => page.getByTestId('editor-problem').textContent()).toContain('alert.severity');
    await expect.poll(() => page.getByTestId('editor-problem').textContent()).toContain('"urgent"');
    await shot('6-editor-validation-error');

    // Fix it and send a test.
    await editor.fill(valid);
    await expect.poll(() => page.getByTestId('editor-status').textContent()).toContain('Valid event');
    await page.getByTestId('send-test').click();
    await expect.poll(() => page.getByTestId('send-notice').textContent()).toContain('2 delivered');

    // Outbox: the captured email and Slack message.
    await page.getByRole('tab', { name: /Outbox/ }).click();
    await expect.poll(() => page.getByTestId('outbox-email').count()).toBe(1);
    await expect.poll(() => page.getByTestId('outbox-slack').count()).toBe(1);
    await expect
      .poll(() => page.getByTestId('outbox-email').textContent())
      .toContain('designer@preview.local');
    await shot('7-outbox');

    // Delivery log, filled live over server-sent events, with the metrics panel.
    await page.getByRole('tab', { name: /Delivery log/ }).click();
    await expect.poll(() => page.locator('[data-testid="delivery-log"] tbody tr').count()).toBe(2);
    await expect.poll(() => page.getByTestId('delivery-log').textContent()).toContain('delivered');
    await expect.poll(() => page.getByTestId('metrics-panel').textContent()).toContain('email');
    await shot('8-delivery-log');
    // One browser session walks the whole designer's flow: its ceiling is the sum of its steps on a
    // busy machine, not a speed target.
  }, 300_000);
});
