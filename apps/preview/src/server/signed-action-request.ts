import { signSlackRequest } from '@pytake/notify-slack';

/**
 * A `block_actions` payload as Slack posts it to the interactivity URL: form-encoded and signed with
 * the app's signing secret at `nowSeconds`. The console's actions and the Slack view's button presses
 * both go through it, so both reach `POST /slack/actions` the way Slack's would.
 */
export function signedActionRequest(payload: object, signingSecret: string, nowSeconds: number): RequestInit {
  const rawBody = `payload=${encodeURIComponent(JSON.stringify(payload))}`;
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...signSlackRequest(signingSecret, rawBody, nowSeconds),
    },
    body: rawBody,
  };
}
