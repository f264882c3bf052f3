import { timingSafeEqual } from 'node:crypto';
import { ConfigError } from '@pytake/notify-core';
import { signSlackRequest } from './sign-slack-request.js';

/** What `verifySlackRequest` checks: the signing secret, the raw body and Slack's two headers. */
export interface VerifySlackRequestInput {
  signingSecret: string;
  /** The body exactly as received (before any parsing). */
  rawBody: string | Buffer;
  /** `X-Slack-Request-Timestamp`. */
  timestamp: string | number | null | undefined;
  /** `X-Slack-Signature`, `v0=...`. */
  signature: string | null | undefined;
  /** Current time in seconds; a finite number. @default Date.now() / 1000 */
  nowSeconds?: number;
  /** How far the timestamp may be from now; older requests are replays. A finite number, 0 or more. @default 300 */
  toleranceSeconds?: number;
}

/** The answer of `verifySlackRequest`: `ok`, or why the request was refused. */
export type VerifySlackRequestResult =
  | { ok: true }
  | { ok: false; reason: 'missing_headers' | 'invalid_body' | 'stale_timestamp' | 'bad_signature' };

/** The defaults of `verifySlackRequest`: requests more than 5 minutes old are refused. */
export const verifySlackRequestDefaults = { toleranceSeconds: 300 } as const;

const show = (value: unknown) => (typeof value === 'number' ? String(value) : typeof value);

/**
 * Slack's v0 request signing: HMAC-SHA256 of `v0:{timestamp}:{rawBody}` with the signing secret,
 * compared in constant time. A timestamp more than 5 minutes away is refused so that a captured
 * request cannot be replayed later. The result never contains the secret or the expected signature.
 *
 * What the request brings is answered with `{ ok: false }` (a body that is not a string or Buffer,
 * e.g. one a framework already parsed, is `invalid_body`); what the caller configures is checked:
 * a `nowSeconds` or `toleranceSeconds` that is not a finite number throws `ConfigError`, since NaN
 * would make every comparison false and turn replay protection off.
 */
export function verifySlackRequest(input: VerifySlackRequestInput): VerifySlackRequestResult {
  if (typeof input !== 'object' || input === null) {
    throw new ConfigError('Invalid verifySlackRequest input', [
      { path: '', message: `expected an object, got ${input === null ? 'null' : typeof input}` },
    ]);
  }
  const now = input.nowSeconds ?? Date.now() / 1000;
  const tolerance = input.toleranceSeconds ?? verifySlackRequestDefaults.toleranceSeconds;
  const issues = [];
  if (typeof now !== 'number' || !Number.isFinite(now))
    issues.push({ path: 'nowSeconds', message: `expected a finite number of seconds, got ${show(now)}` });
  if (typeof tolerance !== 'number' || !Number.isFinite(tolerance) || tolerance < 0)
    issues.push({
      path: 'toleranceSeconds',
      message: `expected a finite number of seconds >= 0, got ${show(tolerance)}`,
    });
  if (input.signingSecret !== undefined && typeof input.signingSecret !== 'string')
    // The value is a secret: say what it is, never echo it.
    issues.push({ path: 'signingSecret', message: `expected a string, got ${typeof input.signingSecret}` });
  if (issues.length > 0) throw new ConfigError('Invalid verifySlackRequest options', issues);

  const { signature, rawBody } = input;
  const timestamp =
    typeof input.timestamp === 'string' || typeof input.timestamp === 'number'
      ? String(input.timestamp).trim()
      : '';
  if (typeof signature !== 'string' || !signature || !/^\d+$/.test(timestamp) || !input.signingSecret)
    return { ok: false, reason: 'missing_headers' };
  // Buffer is a Uint8Array; anything else (undefined, a parsed object) cannot be what Slack signed.
  if (typeof rawBody !== 'string' && !(rawBody instanceof Uint8Array))
    return { ok: false, reason: 'invalid_body' };
  if (Math.abs(now - Number(timestamp)) > tolerance) return { ok: false, reason: 'stale_timestamp' };
  // Slack signs the bytes it sent: decoding a Buffer first would change a body that is not UTF-8.
  const expected = signSlackRequest(input.signingSecret, rawBody, timestamp)['x-slack-signature'];
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; a length mismatch is a mismatch anyway.
  if (a.length !== b.length || !timingSafeEqual(a, b)) return { ok: false, reason: 'bad_signature' };
  return { ok: true };
}
