import type { SlackApiChannel } from '@pytake/notify-slack';
import { Hono } from 'hono';
import type { Deliver } from './deliver.js';
import { readJson } from './read-json.js';
import { requestShape } from './request-shape.js';
import { parseSendTargets } from './send-targets.js';

export interface SendRoutesOptions {
  deliver: Deliver;
  /** This app's origin, which a typed webhook of the embedded receiver names. */
  origin?: () => string;
  /** The fake Slack's Web API, which POST /api/notify also posts through. */
  fakeSlackApi(): SlackApiChannel | undefined;
}

/** `POST /api/send` (Send test, with typed targets) and `POST /api/notify` (what a service does). */
export function sendRoutes({ deliver, origin, fakeSlackApi }: SendRoutesOptions): Hono {
  const app = new Hono();
  app.post('/api/send', async (c) => {
    const body = await readJson(c);
    const requested = requestShape(body) as { to?: unknown; webhookUrl?: unknown };
    return c.json(await deliver(body, parseSendTargets(requested, origin?.() ?? '')));
  });
  // What a service does: one event, to the preview organization's configured targets.
  // Besides the webhook it posts through the fake Slack's Web API, whose messages chat.update can change.
  app.post('/api/notify', async (c) =>
    c.json(await deliver(await readJson(c), { embeddedWebhook: false }, fakeSlackApi())),
  );
  return app;
}
