import { randomUUID } from 'node:crypto';
import { redactUrl } from '@pytake/notify-core';
import { Hono } from 'hono';
import type { CapturedSlack, Outbox, OutboxEntry } from './outbox.js';

export interface SlackReceiverOptions {
  capture(entry: OutboxEntry): void;
  /** Where replaced and updated messages are changed in place. */
  outbox: Outbox;
  /** Tells the browsers about a changed message. */
  changed(entry: CapturedSlack): void;
  /** The bot token the fake Web API accepts. */
  token: string;
}

type Message = { text?: unknown; blocks?: unknown; attachments?: unknown };
const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** The alert a message's buttons act on: our templates put its id in each button's `value`. */
export function alertIdOf(payload: unknown): string | undefined {
  const found: string[] = [];
  const walk = (v: unknown, depth: number) => {
    if (depth > 8 || found.length > 0) return;
    if (Array.isArray(v)) for (const x of v) walk(x, depth + 1);
    else if (isObject(v)) {
      if (typeof v.action_id === 'string' && v.action_id.startsWith('alert.') && typeof v.value === 'string')
        found.push(v.value);
      for (const x of Object.values(v)) walk(x, depth + 1);
    }
  };
  walk(payload, 0);
  return found[0];
}

/** The fields a message is drawn from, without the request's own (`channel`, `replace_original`, ...). */
const messageOf = ({ text, blocks, attachments }: Message) => ({
  ...(text !== undefined ? { text } : {}),
  ...(blocks !== undefined ? { blocks } : {}),
  ...(attachments !== undefined ? { attachments } : {}),
});

/**
 * The app's fake Slack, answering the way Slack documents so that sends, button presses and updates
 * work with no workspace:
 * - incoming webhooks: 200 `ok`, 400 `invalid_payload`, 400 `no_text`;
 * - a button press's `response_url` (`POST /hooks/respond/:id`): `replace_original: true` replaces
 *   the pressed message, 404 `expired_url` for a message it does not hold;
 * - the Web API (`POST /slack/api/chat.postMessage`, `chat.update`): HTTP 200 with `{ ok, channel, ts,
 *   message }` or `{ ok: false, error }` (`not_authed`, `invalid_auth`, `channel_not_found`, `no_text`,
 *   `message_not_found`, `is_archived`); `conversations.archive` / `unarchive` switch a channel off and
 *   on, so that the demo can make deliveries fail for good (dead letters) and then retry them.
 */
export function slackReceiverRoutes(options: SlackReceiverOptions): Hono {
  const app = new Hono();
  let tsSeq = 0;
  const archived = new Set<string>();
  const parse = async (text: string): Promise<Message | undefined> => {
    try {
      const payload = JSON.parse(text) as unknown;
      return isObject(payload) ? (payload as Message) : undefined;
    } catch {
      return undefined;
    }
  };
  const empty = (m: Message) => !m.text && !m.blocks && !m.attachments;

  app.post('/hooks/respond/:id', async (c) => {
    const message = await parse(await c.req.text());
    if (!message) return c.text('invalid_payload', 400);
    if (empty(message)) return c.text('no_text', 400);
    const id = c.req.param('id');
    const replace = (message as { replace_original?: unknown }).replace_original === true;
    if (!replace) {
      // Without replace_original Slack posts a new message in the channel: capture it as one.
      options.capture({
        kind: 'slack',
        id: randomUUID(),
        receivedAt: new Date().toISOString(),
        webhook: 'response_url',
        via: 'webhook',
        payload: messageOf(message),
        ...(alertIdOf(message) ? { alertId: alertIdOf(message) } : {}),
      });
      return c.text('ok');
    }
    const entry = options.outbox.replace(
      (e) => e.kind === 'slack' && e.id === id,
      (e) => ({
        ...(e as CapturedSlack),
        payload: messageOf(message),
        editedAt: new Date().toISOString(),
        editedBy: 'response_url',
      }),
    );
    if (!entry) return c.text('expired_url', 404);
    options.changed(entry as CapturedSlack);
    return c.text('ok');
  });

  app.post('/hooks/slack/*', async (c) => {
    const message = await parse(await c.req.text());
    if (!message) return c.text('invalid_payload', 400);
    if (empty(message)) return c.text('no_text', 400);
    const alertId = alertIdOf(message);
    options.capture({
      kind: 'slack',
      id: randomUUID(),
      receivedAt: new Date().toISOString(),
      webhook: redactUrl(c.req.url),
      via: 'webhook',
      payload: message,
      ...(alertId ? { alertId } : {}),
    });
    return c.text('ok');
  });

  app.post('/slack/api/:method', async (c) => {
    const method = c.req.param('method');
    const auth = c.req.header('authorization');
    // The Web API answers HTTP 200 with ok: false for its own errors.
    if (!auth) return c.json({ ok: false, error: 'not_authed' });
    if (auth !== `Bearer ${options.token}`) return c.json({ ok: false, error: 'invalid_auth' });
    const body = await parse(await c.req.text());
    if (!body) return c.json({ ok: false, error: 'invalid_json' });
    const channel = (body as { channel?: unknown }).channel;
    if (typeof channel !== 'string' || !/^[CDGZ][A-Z0-9]{2,}$/.test(channel))
      return c.json({ ok: false, error: 'channel_not_found' });
    if (method === 'conversations.archive') {
      if (archived.has(channel)) return c.json({ ok: false, error: 'already_archived' });
      archived.add(channel);
      return c.json({ ok: true });
    }
    if (method === 'conversations.unarchive') {
      if (!archived.delete(channel)) return c.json({ ok: false, error: 'not_archived' });
      return c.json({ ok: true });
    }
    if (empty(body)) return c.json({ ok: false, error: 'no_text' });
    if (archived.has(channel)) return c.json({ ok: false, error: 'is_archived' });
    const message = messageOf(body);
    if (method === 'chat.postMessage') {
      const ts = `${Math.floor(Date.now() / 1000)}.${String(++tsSeq).padStart(6, '0')}`;
      const alertId = alertIdOf(message);
      options.capture({
        kind: 'slack',
        id: randomUUID(),
        receivedAt: new Date().toISOString(),
        webhook: `chat.postMessage ${channel}`,
        via: 'api',
        channel,
        ts,
        payload: message,
        ...(alertId ? { alertId } : {}),
      });
      return c.json({ ok: true, channel, ts, message });
    }
    if (method === 'chat.update') {
      const ts = (body as { ts?: unknown }).ts;
      const entry = options.outbox.replace(
        (e) => e.kind === 'slack' && e.via === 'api' && e.channel === channel && e.ts === ts,
        (e) => ({
          ...(e as CapturedSlack),
          payload: message,
          editedAt: new Date().toISOString(),
          editedBy: 'chat.update',
        }),
      );
      if (!entry) return c.json({ ok: false, error: 'message_not_found' });
      options.changed(entry as CapturedSlack);
      return c.json({ ok: true, channel, ts, text: message.text ?? '', message });
    }
    return c.json({ ok: false, error: 'unknown_method' }, 404);
  });
  return app;
}
