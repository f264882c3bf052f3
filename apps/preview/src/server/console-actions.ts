import { ALERT_ACTION_IDS } from '@pytake/notify-slack';
import { Hono } from 'hono';
import type { AlertStore } from './alert-store.js';
import { ApiError } from './api-error.js';
import { readJson } from './read-json.js';
import { signedActionRequest } from './signed-action-request.js';
import { consoleUserId } from './slack-actions.js';

export interface ConsoleActionsOptions {
  signingSecret: string;
  alerts: AlertStore;
  /** Sends a request to this app's `POST /slack/actions`. */
  dispatch(init: RequestInit): Promise<Response>;
  /** Seconds since the epoch. @default Date.now()/1000 */
  nowSeconds?: () => number;
}

const kinds = ['acknowledge', 'resolve', 'assign'] as const;
type Kind = (typeof kinds)[number];
const name = /^[\w.@ -]{1,80}$/;

/**
 * `POST /api/alerts/:id/actions { action, user?, assignee? }`: the console's Acknowledge, Resolve and
 * Assign. The server signs a `block_actions` request as Slack would and sends it to
 * `POST /slack/actions`, so that both paths go through `verifySlackRequest` and change the alert the
 * same way.
 */
export function consoleActionRoutes(options: ConsoleActionsOptions): Hono {
  const now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const app = new Hono();
  app.post('/api/alerts/:id/actions', async (c) => {
    const alertId = c.req.param('id');
    const body = (await readJson(c)) as { action?: unknown; user?: unknown; assignee?: unknown } | null;
    const issues: { path: string; message: string }[] = [];
    const action = body?.action;
    if (typeof action !== 'string' || !kinds.includes(action as Kind))
      issues.push({
        path: 'action',
        message: `expected one of ${kinds.join(', ')}, got ${JSON.stringify(action)}`,
      });
    for (const field of ['user', 'assignee'] as const) {
      const value = body?.[field];
      if (value !== undefined && (typeof value !== 'string' || !name.test(value)))
        issues.push({
          path: field,
          message: 'expected a name of 1 to 80 letters, digits, spaces or . @ _ -',
        });
    }
    if (issues.length > 0) throw new ApiError(400, 'validation', 'Invalid alert action', issues);
    if (!options.alerts.get(alertId)) {
      throw new ApiError(404, 'not_found', `No alert ${JSON.stringify(alertId)} in the console`);
    }
    const user = (body!.user as string | undefined) ?? 'console.operator';
    const assignee = body!.assignee as string | undefined;
    const payload = {
      type: 'block_actions',
      user: { id: consoleUserId, username: user, name: user },
      // parseAlertAction needs one; with no message container nothing is ever posted to it.
      response_url: 'https://hooks.slack.com/actions/T0PREVIEW/console/none',
      actions: [
        {
          type: 'button',
          action_id: ALERT_ACTION_IDS[action as Kind],
          value: alertId,
          action_ts: String(now()),
          ...(assignee ? { selected_user: assignee } : {}),
        },
      ],
    };
    const response = await options.dispatch(signedActionRequest(payload, options.signingSecret, now()));
    if (!response.ok) return c.json(await response.json(), response.status as 400);
    return c.json(options.alerts.get(alertId));
  });
  return app;
}
