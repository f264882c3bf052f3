import { timingSafeEqual } from 'node:crypto';
import { signSlackRequest } from './sign-slack-request.js';

export interface VerifySlackRequestInput {
  signingSecret: string;
  /** The body exactly as received (before any parsing). */
  rawBody: string | Buffer;
  /** `X-Slack-Request-Timestamp`. */
  timestamp: string | number | null | undefined;
  /** `X-Slack-Signature`, `v0=...`. */
  signature: string | null | undefined;
  /** Current time in seconds. @default Date.now() / 1000 */
  nowSeconds?: number;
  /** How far the timestamp may be from now; older requests are replays. @default 300 */
  toleranceSeconds?: number;
}

export type VerifySlackRequestResult =
  | { ok: true }
  | { ok: false; reason: 'missing_headers' | 'stale_timestamp' | 'bad_signature' };

export const verifySlackRequestDefaults = { toleranceSeconds: 300 } as const;

/**
 * Slack's v0 request signing: HMAC-SHA256 of `v0:{timestamp}:{rawBody}` with the signing secret,
 * compared in constant time. A timestamp more than 5 minutes away is refused so that a captured
 * request cannot be replayed later. The result never contains the secret or the expected signature.
 */
export function verifySlackRequest(input: VerifySlackRequestInput): VerifySlackRequestResult {
  const { signature } = input;
  const timestamp =
    input.timestamp === null || input.timestamp === undefined ? '' : String(input.timestamp).trim();
  if (!signature || !/^\d+$/.test(timestamp) || !input.signingSecret)
    return { ok: false, reason: 'missing_headers' };
  const now = input.nowSeconds ?? Date.now() / 1000;
  const tolerance = input.toleranceSeconds ?? verifySlackRequestDefaults.toleranceSeconds;
  if (Math.abs(now - Number(timestamp)) > tolerance) return { ok: false, reason: 'stale_timestamp' };
  // Slack signs the bytes it sent: decoding a Buffer first would change a body that is not UTF-8.
  const expected = signSlackRequest(input.signingSecret, input.rawBody, timestamp)['x-slack-signature'];
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch is a mismatch anyway.
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}
