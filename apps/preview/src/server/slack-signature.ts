import { createHmac } from 'node:crypto';

/**
 * Signs a request body the way Slack does (v0 scheme), so the preview's own buttons go through the
 * same verification as a real Slack request. Verification itself lives in @pytake/notify-slack.
 */
export function signSlackRequest(signingSecret: string, rawBody: string, timestampSeconds: number) {
  const timestamp = String(timestampSeconds);
  const signature = `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': signature };
}
