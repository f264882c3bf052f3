import {
  ACTION_KINDS,
  type ActionKind,
  type ConsoleSource,
  createConsole,
  type InProcessSource,
  type Operator,
  type OperatorConsole,
} from '@pytake/notify-console';
import { ALERT_ACTION_IDS } from '@pytake/notify-slack';
import { Hono } from 'hono';
import type { AlertStore } from './alert-store.js';
import { signedActionRequest } from './signed-action-request.js';
import { consoleUserId } from './slack-actions.js';

/**
 * Who uses the console. The app has no sign-in (it answers loopback only, see allowed-hosts.ts),
 * but it does name who acts: Slack presses are `preview.designer`'s, the console's this operator's,
 * and the alert shows that name as who acknowledged or resolved it.
 */
export const localOperator: Operator = { id: 'console.operator', name: 'console.operator' };

export interface PreviewConsoleOptions {
  /** `createInProcessSource()`, or with `REDIS_URL` `createRedisSource({ queue })`. */
  source: ConsoleSource;
  signingSecret: string;
  /** Sends a request to this app's `POST /slack/actions`. */
  dispatch(init: RequestInit): Promise<Response>;
  /** Seconds since the epoch. @default Date.now()/1000 */
  nowSeconds?: () => number;
}

/**
 * `@pytake/notify-console` under `/console`. Its Acknowledge, Resolve and Assign go through the same
 * path as the Slack buttons: the server signs a `block_actions` request as Slack would and sends it
 * to `POST /slack/actions`, so both pass `verifySlackRequest` and change the alert the same way.
 */
export function createPreviewConsole(options: PreviewConsoleOptions): OperatorConsole {
  const now = options.nowSeconds ?? (() => Math.floor(Date.now() / 1000));
  return createConsole({
    source: options.source,
    basePath: '/console',
    authorize: async () => localOperator,
    onAction: async (action, operator) => {
      const user = operator.name ?? operator.id;
      const payload = {
        type: 'block_actions',
        user: { id: consoleUserId, username: user, name: user },
        // parseAlertAction needs one; with no message container nothing is ever posted to it.
        response_url: 'https://hooks.slack.com/actions/T0PREVIEW/console/none',
        actions: [
          {
            type: 'button',
            action_id: ALERT_ACTION_IDS[action.kind],
            value: action.alertId,
            action_ts: String(now()),
            ...(action.assignee ? { selected_user: action.assignee } : {}),
          },
        ],
      };
      const response = await options.dispatch(signedActionRequest(payload, options.signingSecret, now()));
      if (!response.ok)
        throw new Error(`POST /slack/actions answered ${response.status}: ${await response.text()}`);
    },
  });
}

/**
 * `/console` and everything under it, answered by the console of the moment: the app swaps the
 * in-process one for the Redis one when the queue starts, and back when it stops.
 */
export function consoleRoutes(current: () => OperatorConsole): Hono {
  const app = new Hono();
  app.all('/console', (c) => current().fetch(c.req.raw));
  app.all('/console/*', (c) => current().fetch(c.req.raw));
  return app;
}

/**
 * A Slack button press changes the alert as the console's own actions do, which the console records
 * itself: the returned function records the alert's latest step, when it is a Slack press, as a step
 * of the alert in the console too.
 */
export function slackPressRecorder(alerts: AlertStore, source: InProcessSource) {
  return (alertId: string) => {
    const alert = alerts.get(alertId);
    const step = alert?.timeline.at(-1);
    if (!alert?.organizationId || step?.kind !== 'action' || step.source !== 'slack') return;
    if (!(ACTION_KINDS as readonly string[]).includes(step.type)) return;
    const action = {
      kind: step.type as ActionKind,
      organizationId: alert.organizationId,
      alertId,
      ...(step.assignee ? { assignee: step.assignee } : {}),
    };
    void source.recordAction(action, { id: step.by ?? 'slack' }, new Date(step.at));
  };
}
