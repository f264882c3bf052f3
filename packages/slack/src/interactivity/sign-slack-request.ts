import { createHmac } from 'node:crypto';

/** The two headers Slack sends with a signed request. */
export interface SlackRequestSignature {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
}

/**
 * Signs a body the way Slack does (v0: HMAC-SHA256 of `v0:{timestamp}:{rawBody}`), for tests and for
 * apps whose own buttons go through the same check as a real Slack request. The HMAC runs over the
 * body's bytes, so a Buffer that is not valid UTF-8 is signed exactly as sent.
 */
export function signSlackRequest(
  signingSecret: string,
  rawBody: string | Buffer,
  timestampSeconds: number | string,
): SlackRequestSignature {
  const timestamp = String(timestampSeconds);
  const hmac = createHmac('sha256', signingSecret).update(`v0:${timestamp}:`).update(rawBody);
  return { 'x-slack-request-timestamp': timestamp, 'x-slack-signature': `v0=${hmac.digest('hex')}` };
}
