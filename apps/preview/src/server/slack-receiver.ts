import { randomUUID } from 'node:crypto';
import { redactUrl } from '@pytake/notify-core';
import { Hono } from 'hono';
import type { OutboxEntry } from './outbox.js';

/**
 * An incoming-webhook endpoint that answers the way Slack documents (200 `ok`, 400 `invalid_payload`,
 * 400 `no_text`) and captures what it accepts, so sends work with no Slack workspace.
 */
export function slackReceiverRoutes(options: { capture(entry: OutboxEntry): void }): Hono {
  const app = new Hono();
  app.post('/hooks/slack/*', async (c) => {
    let payload: unknown;
    try {
      payload = JSON.parse(await c.req.text());
    } catch {
      return c.text('invalid_payload', 400);
    }
    if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
      return c.text('invalid_payload', 400);
    const message = payload as { text?: unknown; blocks?: unknown; attachments?: unknown };
    if (!message.text && !message.blocks && !message.attachments) return c.text('no_text', 400);
    options.capture({
      kind: 'slack',
      id: randomUUID(),
      receivedAt: new Date().toISOString(),
      webhook: redactUrl(c.req.url),
      payload,
    });
    return c.text('ok');
  });
  return app;
}
