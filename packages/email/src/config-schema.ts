import { createPrivateKey, type KeyObject } from 'node:crypto';
import { isIPv6 } from 'node:net';
import { numberOption } from '@pytake/notify-core';
import { z } from 'zod';
import { emailDefaults } from './defaults.js';
import type { SmtpConfig } from './smtp-config.js';

/** A setting by its place in `SmtpConfigInput`: what the rules below are written for. */
export type ConfigField =
  | 'host'
  | 'port'
  | 'user'
  | 'password'
  | 'fromEmail'
  | 'fromName'
  | 'useTls'
  | 'useSsl'
  | 'timeoutSeconds'
  | 'enabled'
  | 'tlsRejectUnauthorized'
  | 'dkim.domainName'
  | 'dkim.keySelector'
  | 'dkim.privateKey';

/**
 * What a message calls another setting: its field (`useTls`) for a config given in code, its
 * variable (`SMTP_USE_TLS`) for the environment.
 */
export type FieldName = (field: ConfigField) => string;

/**
 * What nodemailer can connect to: a host name or IPv4 address, or an IPv6 address as it is. A scheme
 * or a port (`smtp://…`, `…:587`) would be looked up as part of the name, and so would the brackets
 * of `[::1]`: every send would fail with EDNS. The port has a setting of its own.
 */
const isHost = (v: string) => /^[^\s/:[\]]+$/.test(v) || isIPv6(v);

// RFC 1035 labels (letters, digits, inner hyphens), at least two of them.
const DKIM_DOMAIN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
// RFC 6376 §3.1: a selector is one or more dot-separated labels; underscores are common in practice.
const DKIM_SELECTOR =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/i;

/**
 * RFC 8301: DKIM signers must use RSA keys of at least 1024 bits, and verifiers may refuse smaller
 * ones, so a smaller key would sign mail that fails DKIM.
 */
const MIN_DKIM_KEY_BITS = 1024;

/**
 * What is wrong with a DKIM private key, or `undefined` for one nodemailer can sign with. Checked here
 * so that a bad key fails at startup, not on the first alert. The message never shows the key.
 */
function dkimKeyProblem(value: string): string | undefined {
  // Without a passphrase: nodemailer has no way to pass one.
  const notPem =
    'expected an unencrypted PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)';
  if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(value)) return notPem;
  let key: KeyObject;
  try {
    key = createPrivateKey(value);
  } catch {
    return notPem;
  }
  if (key.type !== 'private') return notPem;
  // nodemailer signs rsa-sha256 (RSASSA-PKCS1-v1_5) only; given an ed25519, EC or RSA-PSS key it
  // sends the mail unsigned without a word, and DMARC then fails where it passed before.
  const kind = key.asymmetricKeyType;
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (kind !== 'rsa' || bits < MIN_DKIM_KEY_BITS) {
    const got = kind === 'rsa' ? `a ${bits}-bit RSA key` : `a key of type ${kind ?? 'unknown'}`;
    return `expected an RSA private key of ${MIN_DKIM_KEY_BITS} bits or more (nodemailer signs DKIM with rsa-sha256 only), got ${got}`;
  }
  return undefined;
}

const noLineBreaks = (v: string) => !/[\r\n]/.test(v);
const oneLine = (message: string) => z.string().refine(noLineBreaks, { message });

/**
 * A server may quote the password back in an error (plain, base64, URL-encoded), and every error text
 * is cleared of it: that only works for a password that cannot be mistaken for ordinary text, and
 * core `redactSecrets()` ignores secrets under 3 characters altogether. So short ones are refused.
 */
export const MIN_PASSWORD_LENGTH = 8;

// Timeouts reach nodemailer in whole milliseconds, rounded up, and nodemailer reads 0 as "my own
// default" (minutes): so anything below 1 ms, which could only be a unit mistake, is refused.
const MIN_TIMEOUT_SECONDS = 0.001;

/**
 * The one set of rules for the SMTP settings, whether they come from code (`resolveSmtpConfig()`) or
 * from the environment (`loadSmtpConfig()`, which reads each variable into its field first). `name`
 * only changes how a message refers to another setting. Parse with `{ reportInput: true }`.
 */
export function createConfigSchema(name: FieldName) {
  return (
    z
      .object({
        host: z
          .string()
          .trim()
          .refine(isHost, {
            message: 'expected a host name or IP address (no scheme, port, brackets or spaces)',
          })
          .optional(),
        port: numberOption({ min: 1, max: 65_535, integer: true }),
        user: z
          .string()
          .min(1)
          .refine(noLineBreaks, { message: 'expected a user name without line breaks' })
          .optional(),
        password: oneLine('expected a password without line breaks')
          .refine((v) => v.length >= MIN_PASSWORD_LENGTH, {
            message: `expected at least ${MIN_PASSWORD_LENGTH} characters: a shorter password cannot be told apart from ordinary text, so it could not be kept out of error messages`,
          })
          .optional(),
        fromEmail: z
          .email({ message: 'expected an email address such as alerts@example.com' })
          .max(254, { message: 'expected an email address of at most 254 characters' })
          .default(emailDefaults.fromEmail),
        fromName: oneLine('expected a display name without line breaks').default(emailDefaults.fromName),
        useTls: z.boolean().default(emailDefaults.useTls),
        useSsl: z.boolean().default(emailDefaults.useSsl),
        timeoutSeconds: z
          .custom<number>((v) => typeof v === 'number' && v >= MIN_TIMEOUT_SECONDS && v <= 600, {
            message: 'expected a number of seconds from 0.001 (1 ms) to 600',
          })
          .default(emailDefaults.timeoutSeconds),
        enabled: z.boolean().default(emailDefaults.enabled),
        tlsRejectUnauthorized: z.boolean().default(emailDefaults.tlsRejectUnauthorized),
        dkim: z
          .object({
            domainName: z
              .string()
              .trim()
              .refine((v) => DKIM_DOMAIN.test(v), { message: 'expected a domain name such as pytake.com' })
              .transform((v) => v.toLowerCase())
              .optional(),
            keySelector: z
              .string()
              .trim()
              .refine((v) => DKIM_SELECTOR.test(v), {
                message: 'expected a DKIM selector such as alerts2026 (letters, digits, hyphens, dots)',
              })
              .optional(),
            privateKey: z
              .string()
              .superRefine((v, ctx) => {
                const problem = dkimKeyProblem(v);
                if (problem) ctx.addIssue({ code: 'custom', input: v, message: problem });
              })
              .optional(),
          })
          .optional(),
      })
      // `when` runs the rules between settings even when one setting is already bad, so that one error
      // lists every problem instead of revealing them one deploy at a time.
      .superRefine(
        (c, ctx) => {
          if (c.useTls === true && c.useSsl === true) {
            ctx.addIssue({
              code: 'custom',
              path: ['useSsl'],
              input: true,
              message: `must be false when ${name('useTls')} is true (SSL is implicit TLS from the first byte, usually port 465; TLS is STARTTLS, usually port 587)`,
            });
          }
          for (const [field, other] of [
            ['user', 'password'],
            ['password', 'user'],
          ] as const) {
            if (c[field] === undefined && c[other] !== undefined) {
              // `input`: without it zod reports the whole config as the input ("got an object").
              ctx.addIssue({
                code: 'custom',
                path: [field],
                input: undefined,
                message: `required when ${name(other)} is set`,
              });
            }
          }
          if (c.dkim && typeof c.dkim === 'object') {
            const parts = ['domainName', 'keySelector', 'privateKey'] as const;
            const given = parts.filter((p) => c.dkim?.[p] !== undefined).map((p) => name(`dkim.${p}`));
            for (const part of parts.filter((p) => c.dkim?.[p] === undefined)) {
              ctx.addIssue({
                code: 'custom',
                path: ['dkim', part],
                input: undefined,
                message: `required${given.length ? ` when ${given.join(' or ')} is set` : ''}: DKIM needs the domain, the selector and the key`,
              });
            }
          }
        },
        { when: () => true },
      )
      .transform(
        ({ dkim, ...c }): SmtpConfig => ({
          ...c,
          // Present even when unset, so that every config has the same keys wherever it came from.
          host: c.host,
          user: c.user,
          password: c.password,
          port: c.port ?? (c.useSsl ? emailDefaults.sslPort : emailDefaults.port),
          ...(dkim?.domainName && dkim.keySelector && dkim.privateKey
            ? {
                dkim: {
                  domainName: dkim.domainName,
                  keySelector: dkim.keySelector,
                  privateKey: dkim.privateKey,
                },
              }
            : {}),
        }),
      )
  );
}
