import {
  isNotifyError,
  type NotifyError,
  type NotifyErrorCode,
  redactAddress,
  redactSecrets,
} from '@pytake/notify-core';
import { SmtpError } from './smtp-error.js';

interface NodemailerErrorLike {
  message?: string;
  code?: string;
  responseCode?: number;
  response?: string;
  command?: string;
  originalCode?: string;
  timeoutType?: string;
}

// Connection-level failures: the message never reached the server's queue, so a new attempt on a new
// connection is safe and usually works (restarts, load balancers, greylisting proxies).
const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ESOCKET',
  'EDNS',
  'EPROTOCOL',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'EMAXLIMIT',
]);
const AUTH_CODES = new Set(['EAUTH', 'ENOAUTH', 'EOAUTH2']);
// Wrong TLS settings (no STARTTLS offered, certificate rejected) fail the same way on every attempt:
// the fix is in the configuration, so retrying only delays the error.
const CONFIG_CODES = new Set(['ETLS', 'EREQUIRETLS', 'ECONFIG']);
// Node's certificate and TLS handshake errors (DEPTH_ZERO_SELF_SIGNED_CERT, CERT_HAS_EXPIRED,
// ERR_TLS_CERT_ALTNAME_INVALID, ERR_SSL_WRONG_VERSION_NUMBER when SMTP_USE_SSL meets a plain port, ...).
const TLS_FAILURE = /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|^ERR_SSL_|^ERR_TLS_/;
// 530 "authentication required", 534 "mechanism too weak", 535 "credentials invalid", 538 "encryption required".
const AUTH_RESPONSES = new Set([530, 534, 535, 538]);

const base64Forms = (text: string): string[] => {
  const b64 = Buffer.from(text).toString('base64');
  // A server may echo the blob without its padding, or in the URL-safe alphabet.
  return [b64, b64.replace(/=+$/, ''), Buffer.from(text).toString('base64url')];
};

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * Matches the password with any of its characters percent-encoded (in either case, as
 * `encodeURIComponent`, `encodeURI` or a form encoder would write them, space also as `+`), and
 * upper- or lower-cased: the encodings are too many to list, so each character may take any form.
 */
export function encodedPasswordPattern(password: string): RegExp {
  const parts = [...password].map((ch) => {
    const encoded = [...Buffer.from(ch)].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
    return `(?:${escapeRegExp(ch)}|${encoded}${ch === ' ' ? '|\\+' : ''})`;
  });
  return new RegExp(parts.join(''), 'giu');
}

/**
 * The password in every form it may cross the wire or come back in a server's reply: as is, base64
 * (AUTH LOGIN) and the AUTH PLAIN blob, hex, and JSON- or HTML-escaped. Passed to core
 * `redactSecrets()` for every error text the channel builds; URL encodings are matched by
 * `encodedPasswordPattern()`. Core skips secrets under 3 characters, one reason why `SMTP_PASSWORD`
 * must have at least 8.
 */
export function credentialForms(user: string | undefined, password: string | undefined): string[] {
  if (!password) return [];
  const html = password.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  const named = password
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
  const forms = [
    password,
    ...base64Forms(password),
    Buffer.from(password).toString('hex'),
    Buffer.from(password).toString('hex').toUpperCase(),
    JSON.stringify(password).slice(1, -1),
    html,
    named,
  ];
  if (user) {
    forms.push(...base64Forms(`\u0000${user}\u0000${password}`));
    forms.push(...base64Forms(`${user}\u0000${user}\u0000${password}`));
  }
  // Longest first: a form that contains another must be removed whole, not left half redacted.
  return [...new Set(forms)].sort((a, b) => b.length - a.length);
}

// Servers often quote the recipient they refuse ("550 5.1.1 <ops@acme.com>: no such user"); addresses
// are personal data and must not reach an error, a log line or a record.
const ADDRESS = /[^\s<>()[\]"',;:@]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+/g;

/** The secrets an SMTP error text is cleared of: exact forms, and a pattern for the URL-encoded ones. */
export interface SmtpSecrets {
  forms: readonly string[];
  pattern?: RegExp;
}

export function smtpSecrets(user: string | undefined, password: string | undefined): SmtpSecrets {
  return {
    forms: credentialForms(user, password),
    pattern: password ? encodedPasswordPattern(password) : undefined,
  };
}

/**
 * `redactSecrets()` with every form of the password, then every email address in the text shown the
 * way `redactAddress()` shows it.
 */
export function redactSmtpText(text: string, secrets: SmtpSecrets | readonly string[]): string {
  const { forms, pattern } = Array.isArray(secrets)
    ? { forms: secrets, pattern: undefined }
    : (secrets as SmtpSecrets);
  // The pattern first: it matches a password echoed in mixed encodings as a whole, which the
  // redaction of its parts would otherwise split.
  const encoded = pattern ? text.replace(pattern, '[redacted]') : text;
  return redactSecrets(encoded, forms).replace(ADDRESS, (a) => redactAddress(a));
}

function describe(code: NotifyErrorCode, e: NodemailerErrorLike, text: string): string {
  const reply = e.responseCode ? `SMTP ${e.responseCode}` : (e.code ?? 'error');
  switch (code) {
    case 'auth':
      return `SMTP authentication failed (${reply}): ${text}. Check SMTP_USER and SMTP_PASSWORD.`;
    case 'timeout':
      return `SMTP server did not answer in time (${e.timeoutType ?? e.code ?? 'timeout'}): ${text}. Check SMTP_HOST/SMTP_PORT or raise SMTP_TIMEOUT_SECONDS.`;
    case 'config':
      return `SMTP TLS setup failed (${reply}): ${text}. Check SMTP_USE_TLS, SMTP_USE_SSL, SMTP_PORT and the server certificate.`;
    case 'transient':
      return e.command === 'RCPT TO'
        ? `SMTP server deferred the recipient (${reply}): ${text}`
        : `SMTP delivery failed temporarily (${reply}): ${text}`;
    case 'aborted':
      return 'The email was not sent: the operation was aborted';
    case 'validation':
      return `SMTP server refused the envelope (${reply}): ${text}`;
    default:
      return e.command === 'RCPT TO'
        ? `SMTP server refused the recipient (${reply}): ${text}`
        : `SMTP server rejected the message (${reply}): ${text}`;
  }
}

function classify(e: NodemailerErrorLike): { code: NotifyErrorCode; retryable: boolean } {
  const status = e.responseCode;
  if (e.code === 'EABORT') return { code: 'aborted', retryable: false };
  // Checked before the reply code: a 500 to STARTTLS means "no STARTTLS here", a setup problem.
  if (CONFIG_CODES.has(e.code ?? '') || TLS_FAILURE.test(e.originalCode ?? ''))
    return { code: 'config', retryable: false };
  if (status !== undefined && AUTH_RESPONSES.has(status)) return { code: 'auth', retryable: false };
  // A 4xx during AUTH (454 "temporary authentication failure") is still temporary.
  if (status !== undefined && status >= 400 && status < 500) return { code: 'transient', retryable: true };
  if (AUTH_CODES.has(e.code ?? '')) return { code: 'auth', retryable: false };
  if (status !== undefined && status >= 500 && status < 600) return { code: 'permanent', retryable: false };
  if (e.code === 'ETIMEDOUT' || e.originalCode === 'ETIMEDOUT') return { code: 'timeout', retryable: true };
  if (TRANSIENT_CODES.has(e.code ?? '') || TRANSIENT_CODES.has(e.originalCode ?? '')) {
    return { code: 'transient', retryable: true };
  }
  if (e.code === 'EENVELOPE') return { code: 'validation', retryable: false };
  return { code: 'permanent', retryable: false };
}

/**
 * Turns whatever nodemailer threw into a NotifyError (an `SmtpError`):
 * - transient, retried: connection refused/reset, timeouts, greeting failures, SMTP 4xx (421, 450, 451, 452);
 * - permanent, not retried: SMTP 5xx (550, 553, 554); `auth` for 535 and other authentication failures.
 * Reply code and text are kept; every form of the password and every email address is removed from
 * the text (addresses shown as `o…@acme.com`).
 */
export function classifySmtpError(
  error: unknown,
  secrets: SmtpSecrets | readonly string[] = [],
): NotifyError {
  if (isNotifyError(error)) return error;
  const e: NodemailerErrorLike =
    typeof error === 'object' && error !== null ? (error as NodemailerErrorLike) : { message: String(error) };
  const { code, retryable } = classify(e);
  const response = typeof e.response === 'string' ? redactSmtpText(e.response, secrets) : undefined;
  const text = redactSmtpText(response ?? e.message ?? 'unknown error', secrets);
  return new SmtpError(describe(code, e, text), {
    code,
    retryable,
    responseCode: e.responseCode,
    response,
    smtpCode: e.code,
    command: e.command ? redactSmtpText(e.command, secrets) : undefined,
  });
}
