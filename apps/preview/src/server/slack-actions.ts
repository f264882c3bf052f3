import { isNotifyError } from '@pytake/notify-core';
import { parseAlertAction, verifySlackRequest } from '@pytake/notify-slack';
import { Hono } from 'hono';
import type { AlertStore } from './alert-store.js';
import { ApiError, apiErrorResponse } from './api-error.js';
import type { ActionTaken } from './message-updates.js';
import type { Outbox } from './outbox.js';
import { readJson } from './read-json.js';
import { signedActionRequest } from './signed-action-request.js';

export interface SlackActionsOptions {
  signingSecret: string;
  alerts: AlertStore;
  /** Runs after the alert changed, without holding Slack's answer (Slack wants one within 3 s). */
  onAction?(taken: ActionTaken): Promise<void>;
  /** Where the Slack view's captured messages are, for presses on one of them. */
  outbox?: Outbox;
  /** This app's origin: the fake Slack's response_url lives there. */
  origin?: () => string;
  /** Seconds since the epoch; injectable so tests can send a stale timestamp. @default Date.now()/1000 */
  nowSeconds?: () => number;
}

/** The user id the console signs its actions with (see preview-console.ts). */
export const consoleUserId = 'U0CONSOLE';

/** The message a block_actions payload was pressed on, if any. */
function messageContainer(rawBody: Buffer): { message_ts?: string } | undefined {
  try {
    const payload = JSON.parse(new URLSearchParams(rawBody.toString('utf8')).get('payload') ?? '') as {
      container?: { type?: unknown; message_ts?: unknown };
    };
    if (payload.container?.type !== 'message') return undefined;
    const ts = payload.container.message_ts;
    return typeof ts === 'string' ? { message_ts: ts } : {};
  } catch {
    return undefined;
  }
}

/** Who presses the preview's own Slack buttons. */
const previewUser = { id: 'U0PREVIEW', username: 'preview.designer', name: 'preview.designer' };

/**
 * `POST /slack/actions`: Slack's interactivity endpoint. Verifies the signature, then applies
 * Acknowledge / Resolve / Assign to the preview's in-memory alert. `POST /api/slack/click` lets the
 * UI's buttons send the same signed request Slack would.
 */
export function slackActionsRoutes(options: SlackActionsOptions): Hono {
  const now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  const app = new Hono();
  // The click route dispatches to /slack/actions through this sub-app, so it answers ApiErrors itself.
  app.onError((error) => {
    const response = apiErrorResponse(error);
    if (response) return response;
    throw error;
  });

  app.post('/slack/actions', async (c) => {
    // The bytes as received: Slack signs bytes, and decoding first could change them.
    const rawBody = Buffer.from(await c.req.arrayBuffer());
    const timestamp = c.req.header('x-slack-request-timestamp') ?? '';
    const signature = c.req.header('x-slack-signature') ?? '';
    const verdict = verifySlackRequest({
      signingSecret: options.signingSecret,
      rawBody,
      timestamp,
      signature,
      nowSeconds: now(),
    });
    if (!verdict.ok) {
      const why = {
        missing_headers: 'missing',
        stale_timestamp: 'older than 5 minutes',
        bad_signature: 'wrong',
        invalid_body: 'over a body that is not raw bytes',
      }[verdict.reason];
      throw new ApiError(401, 'unauthorized', `Slack signature ${why} (${verdict.reason})`);
    }
    let action: ReturnType<typeof parseAlertAction>;
    try {
      action = parseAlertAction(rawBody);
    } catch (error) {
      if (isNotifyError(error) && error.code === 'validation')
        throw new ApiError(400, 'validation', error.message);
      throw error;
    }
    const { entryId } = options.alerts.applyAction(action.alertId, {
      action: action.action,
      user: action.user.name || action.user.id,
      ...(action.assignee ? { assignee: action.assignee } : {}),
      at: new Date().toISOString(),
      source: action.user.id === consoleUserId ? 'console' : 'slack',
    });
    // A press on a message comes with its container: that message is the one to replace. The
    // console acts on no message, so its requests carry none.
    const container = messageContainer(rawBody);
    void options
      .onAction?.({
        alertId: action.alertId,
        entryId,
        ...(container ? { responseUrl: action.responseUrl, pressedTs: container.message_ts } : {}),
      })
      .catch((error: unknown) =>
        console.error(`preview: updating the Slack messages failed: ${String(error)}`),
      );
    // Slack only needs a 200 within 3 s; an empty body leaves the message as it is.
    return c.body(null, 200);
  });

  app.post('/api/slack/click', async (c) => {
    const body = (await readJson(c)) as { actionId?: unknown; value?: unknown; messageId?: unknown };
    if (typeof body?.actionId !== 'string' || typeof body.value !== 'string') {
      throw new ApiError(400, 'validation', 'Expected { actionId, value }', [
        { path: typeof body?.actionId === 'string' ? 'value' : 'actionId', message: 'required (a string)' },
      ]);
    }
    // A press on a message the fake Slack holds gets a response_url that replaces it, as Slack's does.
    const pressed =
      typeof body.messageId === 'string'
        ? options.outbox?.list().find((e) => e.kind === 'slack' && e.id === body.messageId)
        : undefined;
    const onMessage =
      pressed?.kind === 'slack' && options.origin
        ? {
            response_url: `${options.origin()}/hooks/respond/${encodeURIComponent(pressed.id)}`,
            container: {
              type: 'message',
              message_ts: pressed.ts ?? '0000000000.000000',
              channel_id: pressed.channel ?? 'C0PREVIEW',
            },
          }
        : { response_url: 'https://hooks.slack.com/actions/T0PREVIEW/0/preview' };
    const payload = {
      type: 'block_actions',
      user: previewUser,
      ...onMessage,
      actions: [{ type: 'button', action_id: body.actionId, value: body.value, action_ts: String(now()) }],
    };
    const response = await app.request(
      '/slack/actions',
      signedActionRequest(payload, options.signingSecret, now()),
    );
    if (!response.ok) return c.json(await response.json(), response.status as 400);
    return c.json(options.alerts.get(body.value) ?? null);
  });

  return app;
}
