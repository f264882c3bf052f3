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
    // Client support from caniemail's data, for the selected email.
    const support = page.getByTestId('client-support');
    await expect.poll(() => support.locator('[data-family]').count()).toBe(4);
    await expect
      .poll(() => support.locator('[data-family="Outlook"]').textContent())
      .toContain('border-radius');
    expect(await support.locator('[data-family="Apple Mail"]').textContent()).toContain('all supported');
    await support.scrollIntoViewIfNeeded();
    await shot('1-email-client-support');
    await page.getByTestId('email-frame').scrollIntoViewIfNeeded();
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
    // As Slack shows it: the top-level text above the color bar, and the time without a leading zero.
    await expect.poll(() => slack.getByTestId('slack-top-text').textContent()).toContain('Admin');
    const top = await slack.getByTestId('slack-top-text').boundingBox();
    const bar = await slack.locator('.slack-attachment').boundingBox();
    expect(top!.y + top!.height).toBeLessThanOrEqual(bar!.y + 1);
    expect(await slack.getByTestId('slack-time').textContent()).toMatch(/^([1-9]|1[0-2]):[0-5]\d [AP]M$/);
    // Its size against Slack's limits.
    const size = page.getByTestId('slack-size');
    await expect.poll(() => size.textContent()).toContain('within limits');
    expect(await size.textContent()).toMatch(/Blocks\s*\d+ \/ 50/);
    expect(await size.textContent()).toMatch(/Buttons\s*\d+ \/ 25/);
    expect(await size.textContent()).toContain('/ 40,000');
    expect(await size.textContent()).toMatch(/header\s*\d+\s*text: \d+ \/ 150/);

    // Underscores inside a word stay as typed (Slack only formats `_x_` at word boundaries).
    const editor = page.getByTestId('props-editor');
    const valid = await editor.inputValue();
    await editor.fill(valid.replace(/"category": "[^"]*"/, '"category": "order_update_v3"'));
    await expect.poll(() => slack.locator('.slack-fields').textContent()).toContain('order_update_v3');
    expect(await slack.locator('.slack-fields em').count()).toBe(0);
    await editor.fill(valid);
    await expect.poll(() => slack.locator('.slack-fields').textContent()).not.toContain('order_update_v3');

    // Its Acknowledge button goes through the signed interactivity endpoint and shows the new state.
    await slack.getByRole('button', { name: 'Acknowledge' }).click();
    await expect
      .poll(() => page.getByTestId('alert-state').textContent())
      .toContain('acknowledged by preview.designer');
    // ... and the message after the press, re-rendered for the new status, marked (edited).
    const after = page.getByTestId('slack-after');
    await expect.poll(() => after.textContent()).toContain('status acknowledged');
    await expect.poll(() => after.getByTestId('slack-after-message').textContent()).toContain('(edited)');
    await shot('3-slack');

    // Slack's dark theme.
    await page.getByRole('button', { name: 'Dark', exact: true }).click();
    const canvas = page.getByTestId('slack-canvas');
    await expect.poll(() => canvas.getAttribute('data-theme')).toBe('dark');
    await expect
      .poll(() => canvas.evaluate((el) => getComputedStyle(el).backgroundColor))
      .toBe('rgb(26, 29, 33)');
    await shot('3-slack-dark');
    await page.getByRole('button', { name: 'Light', exact: true }).click();
    await expect.poll(() => canvas.getAttribute('data-theme')).toBe('light');

    // pt-BR: the subject changes language.
    await page.getByRole('tab', { name: 'Email', exact: true }).click();
    const english = await subject();
    await page.getByRole('button', { name: 'pt-BR' }).click();
    await expect.poll(subject).not.toBe(english);
    await shot('4-email-pt-BR');

    // Break the JSON: the syntax error shows beside the editor, the preview stays.
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

  it('opens the view a link holds, and writes each change back into the URL', async () => {
    const link = `${preview.url}/?fixture=stale-9-days&tab=slack&locale=pt-BR&tz=Asia%2FTokyo&theme=dark`;
    await page.goto(link);
    await expect
      .poll(() => page.locator('[data-fixture="stale-9-days"]').getAttribute('class'))
      .toContain('selected');
    await expect
      .poll(() => page.getByRole('tab', { name: 'Slack', exact: true }).getAttribute('aria-selected'))
      .toBe('true');
    // Its card is scrolled into view in the gallery.
    await expect.poll(() => page.locator('[data-fixture="stale-9-days"]').isVisible()).toBe(true);
    await expect
      .poll(async () => {
        const card = await page.locator('[data-fixture="stale-9-days"]').boundingBox();
        const nav = await page.getByRole('navigation', { name: 'Fixtures' }).boundingBox();
        return (
          card !== null && nav !== null && card.y >= nav.y && card.y + card.height <= nav.y + nav.height + 1
        );
      })
      .toBe(true);
    expect(await page.getByRole('button', { name: 'pt-BR' }).getAttribute('aria-pressed')).toBe('true');
    expect(await page.getByLabel('Time zone').inputValue()).toBe('Asia/Tokyo');
    await expect.poll(() => page.getByTestId('slack-canvas').getAttribute('data-theme')).toBe('dark');
    // The message is the linked fixture's, in Portuguese.
    await expect.poll(() => page.getByTestId('slack-message').textContent()).toContain('Organização');
    await expect.poll(() => page.getByTestId('props-editor').inputValue()).toContain('alert.stale');
    await shot('9-linked-view');

    // Changes go into the URL: a second window opened on it shows the same view.
    await page.getByRole('tab', { name: 'Email', exact: true }).click();
    await page.getByRole('tab', { name: 'Mobile 375' }).click();
    await expect.poll(() => page.url()).toContain('width=mobile');
    expect(page.url()).not.toContain('tab=slack'); // email is the default tab, left out of links
    expect(page.url()).toContain('fixture=stale-9-days');
    const second = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    try {
      second.setDefaultTimeout(60_000);
      await second.goto(page.url());
      await expect
        .poll(() => second.getByRole('tab', { name: 'Mobile 375' }).getAttribute('aria-selected'))
        .toBe('true');
      await expect.poll(() => second.getByTestId('email-subject').textContent()).toBe(await subject());
      expect(await second.getByLabel('Time zone').inputValue()).toBe('Asia/Tokyo');
    } finally {
      await second.close();
    }
  }, 300_000);

  it('sends a test to an address and a webhook typed in the UI, and names a bad field', async () => {
    await page.goto(`${preview.url}/?fixture=created-critical`);
    await expect.poll(subject).toContain('Database connection pool');
    await page.getByText('Send to…').click();
    const to = page.getByLabel('Send test email to');
    const webhook = page.getByLabel('Send test Slack message to webhook');

    // Refused on the server, each field named; nothing is sent.
    await to.fill('not-an-address');
    await webhook.fill('http://10.0.0.1/hooks/slack/x');
    await page.getByTestId('send-test').click();
    const notice = page.getByTestId('send-notice');
    await expect.poll(() => notice.textContent()).toContain('to: expected an email address');
    expect(await notice.textContent()).toContain('webhookUrl: expected a Slack incoming webhook URL');
    expect(await to.getAttribute('aria-invalid')).toBe('true');
    expect(await webhook.getAttribute('aria-invalid')).toBe('true');
    await shot('10-send-to-refused');

    // Valid: the email goes to the typed address (through the embedded SMTP server here) and Slack to
    // the typed webhook, the preview's own receiver.
    await to.fill('ana@example.org');
    await webhook.fill(`${preview.url}/hooks/slack/T0ANA/B0ANA/typed-by-ana`);
    await page.getByTestId('send-test').click();
    await expect.poll(() => notice.textContent()).toContain('2 delivered');
    expect(await to.getAttribute('aria-invalid')).toBe('false');
    await page.getByRole('tab', { name: /Outbox/ }).click();
    await expect
      .poll(() => page.getByTestId('outbox-email').first().textContent())
      .toContain('ana@example.org');
    await expect.poll(() => page.getByTestId('outbox-slack').first().textContent()).toContain('…-ana');
    // The delivery log shows the address redacted.
    await page.getByRole('tab', { name: /Delivery log/ }).click();
    await expect.poll(() => page.getByTestId('delivery-log').textContent()).toContain('a…@example.org');
    expect(await page.getByTestId('delivery-log').textContent()).not.toContain('ana@example.org');
    await shot('11-send-to-delivered');
  }, 300_000);

  it('opens a storm digest of 60 alerts by email and Slack, with its block text against the total Slack allows', async () => {
    await page.goto(preview.url);
    await page.locator('[data-fixture="digest-60"]').click();
    await expect.poll(() => page.getByTestId('props-editor').inputValue()).toContain('"count": 60');
    await expect.poll(subject).toContain('60 alerts in Acme Corp');
    const frame = page.frameLocator('[data-testid="email-frame"]');
    await expect.poll(() => frame.locator('body').textContent()).toContain('60 alerts in Acme Corp');
    await shot('18-digest-email');

    await page.getByRole('tab', { name: 'Slack', exact: true }).click();
    const slack = page.getByTestId('slack-message');
    await expect.poll(() => slack.textContent()).toContain('60 alerts in Acme Corp');
    const size = page.getByTestId('slack-size');
    await expect.poll(() => size.textContent()).toContain('within limits');
    expect(await size.locator('[data-measure="block text"]').textContent()).toMatch(
      /Block text\s*[1-9][\d,]* \/ 12,000/,
    );
    expect(await size.textContent()).toMatch(/Blocks\s*\d+ \/ 50/);
    await shot('19-digest-slack');

    // pt-BR: the same digest in the other locale.
    await page.getByRole('button', { name: 'pt-BR' }).click();
    await expect.poll(() => slack.textContent()).toContain('60 alertas em Acme Corp');
    await page.getByRole('button', { name: 'en', exact: true }).click();
  });

  it('sends a digest as a burst: the console shows folded alerts, then the digest in the fake Slack', async () => {
    await page.goto(`${preview.url}/?fixture=digest-12&tab=slack`);
    await expect.poll(() => page.getByTestId('slack-message').textContent()).toContain('12 alerts');
    await page.getByTestId('send-test').click();
    await expect.poll(() => page.getByTestId('send-notice').textContent()).toMatch(/\d+ digested/);
    // When the storm's interval ends, the digest reaches the fake Slack like any other message.
    const fakeSlack = page.getByTestId('fake-slack');
    await expect
      .poll(() => fakeSlack.getByTestId('fake-slack-message-body').first().textContent(), {
        timeout: 120_000,
      })
      .toMatch(/alerts? in Acme Corp/);
    await shot('20-digest-fake-slack');

    // The last alert of the burst (high, past the threshold) was folded: its page in the console
    // names the digest it was delivered in.
    await page.goto(`${preview.url}/console/#/alerts/org_acme/alrt_00012`);
    const view = page.getByTestId('alert-view');
    await expect.poll(() => view.textContent(), { timeout: 120_000 }).toMatch(/delivered · digest \S+/);
    await shot('21-digest-console');
  });

  it('draws "Desktop 640" 640 px wide at 1024 and 1280 px windows, as tall as the email', async () => {
    const frame = page.getByTestId('email-frame');
    const wrap = page.getByTestId('email-frame-wrap');
    // The email's own viewport width, and whether the frame scrolls inside (it must not).
    const viewportWidth = () =>
      frame.evaluate((el) => (el as HTMLIFrameElement).contentWindow?.innerWidth ?? 0);
    // True when the frame is exactly as tall as the email: nothing scrolls inside it (scrollHeight
    // fits) and no empty band is left below (the html element fills it).
    const fits = () =>
      frame.evaluate((el) => {
        const iframe = el as HTMLIFrameElement;
        const doc = iframe.contentDocument!.documentElement;
        const content = Math.ceil(doc.getBoundingClientRect().height);
        return doc.scrollHeight <= iframe.clientHeight && iframe.clientHeight - content <= 1;
      });
    try {
      for (const windowWidth of [1024, 1280]) {
        await page.setViewportSize({ width: windowWidth, height: 800 });
        await page.goto(`${preview.url}/?fixture=escalated-admin`);
        await expect
          .poll(() => page.frameLocator('[data-testid="email-frame"]').locator('body').textContent())
          .toContain('Admin');
        await expect.poll(viewportWidth).toBe(640);
        expect(await frame.evaluate((el) => el.clientWidth)).toBe(640);
        // As tall as its content: no scrollbar inside the frame, the page scrolls instead.
        await expect.poll(fits).toBe(true);
        expect(await frame.evaluate((el) => el.clientHeight)).toBeGreaterThan(700);
        // Narrower than the frame, the view scrolls sideways instead of squeezing the email.
        const main = await wrap.evaluate((el) => ({ scroll: el.scrollWidth, client: el.clientWidth }));
        if (main.client < 640 + 32) expect(main.scroll).toBeGreaterThan(main.client);
        await shot(`12-email-desktop-${windowWidth}`);

        await page.getByRole('tab', { name: 'Mobile 375' }).click();
        await expect.poll(viewportWidth).toBe(375);
        await expect.poll(fits).toBe(true);
        const mobileHeight = await frame.evaluate((el) => el.clientHeight);
        await page.getByRole('tab', { name: 'Desktop 640' }).click();
        await expect.poll(viewportWidth).toBe(640);
        // Back at 640 the frame shrinks to the shorter desktop layout again.
        await expect.poll(fits).toBe(true);
        expect(await frame.evaluate((el) => el.clientHeight)).toBeLessThan(mobileHeight);
      }
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  }, 300_000);
});
