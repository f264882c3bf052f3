import type { ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createNotificationQueue, type NotificationQueue } from '@pytake/notify-queue';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertEvent, ceiling, webhookPath } from '../../../queue/src/testing/fixtures.js';
import { exitOf, startWorkerProcess } from '../../../queue/src/testing/processes.js';
import { startRedis, type TestRedis } from '../../../queue/src/testing/redis-server.js';
import { type Receiver, startReceiver } from '../../../queue/src/testing/webhook-receiver.js';
import { createRedisSource } from '../redis-source.js';
import { type ConsoleServer, startConsoleServer } from '../testing/start-console-server.js';

// The Queue page in Debian's Chromium, on Redis with a worker process: a dead letter (the webhook
// answered 404) is retried from the page once the webhook is fixed, and then shows delivered.

const screenshots = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'];

let redis: TestRedis;
let receiver: Receiver;
let queue: NotificationQueue;
let worker: ChildProcess;
let server: ConsoleServer;
let browser: Browser;
let page: Page;
const failWith = new Map([[webhookPath(0), 404]]);
const problems: string[] = [];

beforeAll(async () => {
  mkdirSync(screenshots, { recursive: true });
  [redis, receiver] = await Promise.all([startRedis(), startReceiver({ failWith })]);
  queue = createNotificationQueue({ connection: redis.connection });
  worker = await startWorkerProcess({
    redisPath: redis.connection.path,
    tenants: [
      {
        organizationId: 'org-1',
        slack: { webhooks: [{ url: `${receiver.base}${webhookPath(0)}`, name: 'ops 0' }], storm: false },
      },
    ],
    options: { limits: { slack: false } },
  });
  server = await startConsoleServer({
    source: createRedisSource({ queue, pollMs: 50 }),
    authorize: async () => ({ id: 'ana', name: 'Ana' }),
  });
  browser = await chromium.launch({ executablePath, args, headless: true, timeout: 120_000 });
  page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.setDefaultTimeout(60_000);
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
}, ceiling(120_000));
afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (worker) {
    worker.kill('SIGKILL');
    await exitOf(worker);
  }
  await queue?.close();
  await receiver?.close();
  await redis?.stop();
});

describe('the Queue page in Chromium', () => {
  it('retries a dead letter from the page, and its alert then shows delivered', async () => {
    await queue.enqueue(alertEvent(1, 'org-1'));
    await page.goto(`${server.origin}/console/`);
    await page.getByRole('link', { name: 'Queue', exact: true }).click();
    const letters = page.getByTestId('dead-letter');
    await expect.poll(() => letters.count(), { timeout: ceiling(30_000) }).toBe(1);
    expect(await letters.first().textContent()).toContain('org-1 / alert-1');
    expect(await page.getByTestId('queue-view').textContent()).toContain('deliveries-slack');
    await page.screenshot({ path: `${screenshots}console-queue.png` });

    failWith.delete(webhookPath(0));
    await letters.first().getByRole('button', { name: 'Retry' }).click();
    await expect.poll(() => letters.count(), { timeout: ceiling(30_000) }).toBe(0);
    await page.goto(`${server.origin}/console/#/alerts/org-1/alert-1`);
    await expect
      .poll(() => page.getByTestId('alert-view').textContent(), {
        timeout: ceiling(30_000),
        interval: 250,
      })
      .toContain('delivered');
    expect(receiver.accepted().map((r) => r.path)).toEqual([webhookPath(0)]);
    expect(problems).toEqual([]);
  });
});
