import { type AlertInput, isNotifyError } from '@pytake/notify-core';
import { Hono } from 'hono';
import { ApiError } from '../api-error.js';
import { ACTION_KINDS, type ActionKind, type ConsoleAction } from '../api-types.js';
import type { CheckedConsoleOptions } from '../console-options.js';
import { assertMaySee } from '../operator-scope.js';
import type { ConsoleEnv } from './console-env.js';
import { postGuard } from './post-guard.js';

const maxAssigneeLength = 200;

/**
 * `POST alerts/:org/:id/actions` with `{ kind, assignee? }`: Acknowledge, Resolve or Assign, carried
 * out by the service's `onAction`, behind `postGuard` (own origin, JSON, bounded). When `onAction`
 * returns the alert as it is now and the source can, the alert's Slack messages are then edited.
 */
export function actionRoute(options: CheckedConsoleOptions) {
  const { source, onAction, allowedOrigins, onError } = options;
  return new Hono<ConsoleEnv>().post('/alerts/:org/:id/actions', postGuard(allowedOrigins), async (c) => {
    const operator = c.get('operator');
    const organizationId = c.req.param('org');
    const alertId = c.req.param('id');
    assertMaySee(operator, organizationId);
    if (!onAction) throw new ApiError(501, 'actions_disabled', 'This console takes no actions');
    const body = parseBody(await c.req.text());
    if (!(await source.getAlert(organizationId, alertId)))
      throw new ApiError(404, 'not_found', 'No such alert in this console');
    const action: ConsoleAction = {
      kind: body.kind,
      organizationId,
      alertId,
      ...(body.assignee !== undefined ? { assignee: body.assignee } : {}),
    };
    let now: AlertInput | undefined;
    try {
      now = (await onAction(action, operator)) ?? undefined;
    } catch (error) {
      // The service's own refusal (a ValidationError) is shown; anything else says nothing more.
      if (isNotifyError(error) && error.code === 'validation')
        throw new ApiError(400, 'action_refused', error.message);
      throw error;
    }
    await source.recordAction?.(action, operator, new Date());
    // The action is done: a message edit that Redis did not take is told to onError, not undone.
    let messagesUpdated = false;
    // Only this alert's: a service that returned another one does not get its messages edited from here.
    if (now && now.id === alertId && now.organizationId === organizationId && source.updateAlertMessages) {
      try {
        await source.updateAlertMessages(now);
        messagesUpdated = true;
      } catch (error) {
        onError(error);
      }
    }
    return c.json({ ok: true, messagesUpdated, alert: await source.getAlert(organizationId, alertId) });
  });
}

function parseBody(text: string): { kind: ActionKind; assignee?: string } {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new ApiError(400, 'bad_json', 'The body is not JSON: expected { "kind": "acknowledge" }');
  }
  const { kind, assignee } = (typeof body === 'object' && body !== null ? body : {}) as Record<
    string,
    unknown
  >;
  if (typeof kind !== 'string' || !(ACTION_KINDS as readonly string[]).includes(kind))
    throw new ApiError(400, 'bad_action', `"kind" must be one of ${ACTION_KINDS.join(', ')}`);
  if (
    assignee !== undefined &&
    (typeof assignee !== 'string' || assignee.trim() === '' || assignee.length > maxAssigneeLength)
  )
    throw new ApiError(
      400,
      'bad_action',
      `"assignee" must be a name of 1 to ${maxAssigneeLength} characters`,
    );
  return { kind: kind as ActionKind, ...(assignee !== undefined ? { assignee: assignee.trim() } : {}) };
}
