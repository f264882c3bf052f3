import { ValidationError } from '@pytake/notify-core/model';

/** What an alert button asks for: `acknowledge`, `resolve`, `assign` or `view`. */
export type AlertActionKind = 'acknowledge' | 'resolve' | 'assign' | 'view';

/** A click on one of the buttons our templates build. */
export interface AlertAction {
  action: AlertActionKind;
  alertId: string;
  user: { id: string; name: string };
  /** Where to post a reply or replace the message (valid 30 minutes, 5 uses). */
  responseUrl: string;
  /** For `assign` from a users select: the chosen user id. */
  assignee?: string;
}

/**
 * The action id of each alert button, `alert.<kind>`: templates put them on their buttons and
 * `parseAlertAction` reads them back.
 */
export const ALERT_ACTION_IDS = {
  acknowledge: 'alert.acknowledge',
  resolve: 'alert.resolve',
  assign: 'alert.assign',
  view: 'alert.view',
} as const satisfies Record<AlertActionKind, string>;

const kindOfActionId = new Map<string, AlertActionKind>(
  Object.entries(ALERT_ACTION_IDS).map(([kind, id]) => [id, kind as AlertActionKind]),
);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * Decodes the `payload=` form body Slack POSTs for a `block_actions` click into an `AlertAction`.
 * Verify the request with `verifySlackRequest` first. Anything else is a `ValidationError`.
 */
export function parseAlertAction(rawBody: string | Buffer): AlertAction {
  const fail = (path: string, message: string): never => {
    throw new ValidationError('Not an alert button click', [{ path, message }]);
  };
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array))
    fail(
      '',
      `expected the raw body as a string or Buffer, got ${rawBody === null ? 'null' : typeof rawBody}`,
    );
  const form = new URLSearchParams(
    typeof rawBody === 'string' ? rawBody : Buffer.from(rawBody as Uint8Array).toString('utf8'),
  );
  const raw = form.get('payload') ?? fail('payload', 'expected a form body with a payload field');
  let payload: unknown;
  try {
    payload = JSON.parse(raw as string);
  } catch {
    fail('payload', 'expected JSON');
  }
  if (!isObject(payload)) return fail('payload', 'expected a JSON object');
  if (payload.type !== 'block_actions')
    fail('payload.type', `expected block_actions, got ${JSON.stringify(payload.type)}`);
  const actions = Array.isArray(payload.actions) ? payload.actions : [];
  const first = actions[0];
  if (!isObject(first)) return fail('payload.actions', 'expected at least one action');
  const actionId = str(first.action_id);
  const action = actionId ? kindOfActionId.get(actionId) : undefined;
  if (!action) {
    return fail(
      'payload.actions[0].action_id',
      `expected one of ${[...kindOfActionId.keys()].join(', ')}, got ${JSON.stringify(first.action_id)}`,
    );
  }
  const user = isObject(payload.user) ? payload.user : {};
  const userId = str(user.id) ?? fail('payload.user.id', 'required (string)');
  const responseUrl = str(payload.response_url) ?? fail('payload.response_url', 'required (string)');
  // A users_select for "assign" carries the alert id in block_id (selects have no value) and the
  // chosen user in selected_user.
  const alertId = str(first.value) ?? (action === 'assign' ? str(first.block_id) : undefined);
  if (!alertId) return fail('payload.actions[0].value', 'required: the alert id');
  const result: AlertAction = {
    action,
    alertId,
    user: { id: userId as string, name: str(user.username) ?? str(user.name) ?? '' },
    responseUrl: responseUrl as string,
  };
  const assignee = str(first.selected_user);
  if (assignee) result.assignee = assignee;
  return result;
}
