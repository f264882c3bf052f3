import { isNotifyError } from '@pytake/notify-core';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from '../api-error.js';
import { ACTION_KINDS, type ActionKind, type ConsoleAction } from '../api-types.js';
import { type CheckedConsoleOptions, consoleDefaults, originOf } from '../console-options.js';
import { assertMaySee } from '../operator-scope.js';
import type { ConsoleEnv } from './console-env.js';

const maxAssigneeLength = 200;

/**
 * `POST alerts/:org/:id/actions` with `{ kind, assignee? }`: Acknowledge, Resolve or Assign, carried
 * out by the service's `onAction`. Guarded the way a browser's cross-site request cannot pass:
 * - `Origin` must be the console's own (or an allowed one). Browsers send it on every POST, so a
 *   page of another site is refused, and a request without one is refused too.
 * - The body must be `application/json`: another site can post a form or `text/plain` without
 *   asking, but JSON needs a CORS preflight, which the console never answers.
 * - At most 16 KB, read no further.
 */
export function actionRoute(options: CheckedConsoleOptions) {
  const { source, onAction, allowedOrigins } = options;
  return new Hono<ConsoleEnv>().post(
    '/alerts/:org/:id/actions',
    async (c, next) => {
      const origin = c.req.header('origin');
      const own = originOf(c.req.url);
      if (origin === undefined || (origin !== own && !allowedOrigins.has(origin)))
        throw new ApiError(403, 'origin_not_allowed', 'Actions are taken from the console page only');
      const type = c.req.header('content-type')?.split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json')
        throw new ApiError(415, 'unsupported_media_type', 'Actions take content-type: application/json');
      await next();
    },
    bodyLimit({
      maxSize: consoleDefaults.maxBodyBytes,
      onError: () => {
        throw new ApiError(
          413,
          'body_too_large',
          `An action's body is at most ${consoleDefaults.maxBodyBytes} bytes`,
        );
      },
    }),
    async (c) => {
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
      try {
        await onAction(action, operator);
      } catch (error) {
        // The service's own refusal (a ValidationError) is shown; anything else says nothing more.
        if (isNotifyError(error) && error.code === 'validation')
          throw new ApiError(400, 'action_refused', error.message);
        throw error;
      }
      await source.recordAction?.(action, operator, new Date());
      return c.json({ ok: true, alert: await source.getAlert(organizationId, alertId) });
    },
  );
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
