import { createHmac } from 'node:crypto';

/**
 * Signs like Slack (v0), written out here instead of reusing the app's helper so the tests check the
 * server against Slack's scheme and not against itself.
 */
export function slackHeaders(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)) {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${signature}`,
  };
}

/** The form body Slack posts when someone presses one of our buttons. */
export function blockActionsBody(
  actionId: string,
  alertId: string,
  user = { id: 'U123', username: 'ana', name: 'ana' },
) {
  const payload = {
    type: 'block_actions',
    user,
    response_url: 'https://hooks.slack.com/actions/T1/1/abc',
    actions: [{ type: 'button', action_id: actionId, value: alertId, action_ts: '1700000000.000' }],
  };
  return `payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
