import { createPrivateKey } from 'node:crypto';
import { isIPv6 } from 'node:net';
import {
  ConfigError,
  envBoolean,
  formatZodIssues,
  parseEnvBoolean,
  readSecretEnvs,
} from '@pytake/notify-core';
import { z } from 'zod';
import { emailDefaults } from './defaults.js';

/** The SMTP settings the channel runs with, after defaults. */
export interface SmtpConfig {
  /** Unset means "not configured": the channel reports `isConfigured() === false`. */
  host?: string;
  port: number;
  user?: string;
  password?: string;
  fromEmail: string;
  fromName: string;
  /** STARTTLS required (nodemailer `requireTLS`). */
  useTls: boolean;
  /** Implicit TLS (nodemailer `secure`). */
  useSsl: boolean;
  timeoutSeconds: number;
  enabled: boolean;
  tlsRejectUnauthorized: boolean;
  /** DKIM signing (nodemailer's `dkim` transport option); unset means messages go out unsigned. */
  dkim?: SmtpDkimConfig;
}

/** What nodemailer needs to sign with DKIM; the public key goes in DNS at `{keySelector}._domainkey.{domainName}`. */
export interface SmtpDkimConfig {
  /** The signing domain (`d=`), e.g. `pytake.com`; align it with the From domain for DMARC. */
  domainName: string;
  /** The selector (`s=`), e.g. `alerts2026`. */
  keySelector: string;
  /** A PEM private key (RSA, 1024 bits or more; 2048 is what DNS providers expect). Never shown. */
  privateKey: string;
}

/** `SmtpConfig` with every field that has a default made optional. */
export type SmtpConfigInput = Partial<SmtpConfig>;

const SECRET_VARIABLES = new Set([
  'SMTP_PASSWORD',
  'password',
  'SMTP_DKIM_PRIVATE_KEY',
  'dkim',
  'dkim.privateKey',
]);
const isSecret = (path: string) => SECRET_VARIABLES.has(path);

/** The settings that may also come from a file named by `NAME_FILE` (core `readSecretEnv()`). */
export const SMTP_SECRET_VARIABLES = ['SMTP_PASSWORD', 'SMTP_DKIM_PRIVATE_KEY'] as const;

// RFC 1035 labels (letters, digits, inner hyphens), at least two of them.
const DKIM_DOMAIN =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;
// RFC 6376 §3.1: a selector is one or more dot-separated labels; underscores are common in practice.
const DKIM_SELECTOR =
  /^(?=.{1,253}$)[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?(?:\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?)*$/i;
const dkimDomainMessage = 'expected a domain name such as pytake.com';
const dkimSelectorMessage = 'expected a DKIM selector such as alerts2026 (letters, digits, hyphens, dots)';
const dkimKeyMessage =
  'expected an unencrypted PEM private key (-----BEGIN PRIVATE KEY----- or -----BEGIN RSA PRIVATE KEY-----)';

/**
 * True for a PEM private key node:crypto can load without a passphrase (nodemailer has no way to pass
 * one). Checked here so that a bad key fails at startup, not as a signing error on the first alert.
 */
function isPrivateKey(value: string): boolean {
  if (!/-----BEGIN (RSA |EC )?PRIVATE KEY-----/.test(value)) return false;
  try {
    return createPrivateKey(value).type === 'private';
  } catch {
    return false;
  }
}
// A key pasted into one environment variable often has its newlines written as `\n`.
const pemNewlines = (value: unknown) =>
  typeof value === 'string' && !value.includes('\n') ? value.replace(/\\n/g, '\n') : value;

// `.env` files often leave a variable empty (`SMTP_USER=`): that means "not set", not "empty string".
const unsetIfEmpty = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

const noLineBreaks = (v: string) => !/[\r\n]/.test(v);

/**
 * What nodemailer can connect to: a host name or IPv4 address, or an IPv6 address as it is. A scheme
 * or a port (`smtp://…`, `…:587`) would be looked up as part of the name, and so would the brackets
 * of `[::1]`: every send would fail with EDNS. The port has a setting of its own.
 */
const isHost = (v: string) => /^[^\s/:[\]]+$/.test(v) || isIPv6(v);
const hostMessage = 'expected a host name or IP address (no scheme, port, brackets or spaces)';

/**
 * A server may quote the password back in an error (plain, base64, URL-encoded), and every error text
 * is cleared of it: that only works for a password that cannot be mistaken for ordinary text, and
 * core `redactSecrets()` ignores secrets under 3 characters altogether. So short ones are refused.
 */
export const MIN_PASSWORD_LENGTH = 8;
const longEnough = (v: string) => v.length >= MIN_PASSWORD_LENGTH;
const tooShort = `expected at least ${MIN_PASSWORD_LENGTH} characters: a shorter password cannot be told apart from ordinary text, so it could not be kept out of error messages`;

const envPort = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .refine((v) => /^\d{1,5}$/.test(v.trim()) && Number(v) >= 1 && Number(v) <= 65_535, {
      message: 'expected an integer from 1 to 65535',
    })
    .transform(Number)
    .optional(),
);

// Timeouts reach nodemailer in whole milliseconds, rounded up, and nodemailer reads 0 as "my own
// default" (minutes): so anything below 1 ms, which could only be a unit mistake, is refused.
const MIN_TIMEOUT_SECONDS = 0.001;
const timeoutMessage = 'expected a number of seconds from 0.001 (1 ms) to 600';

const envSeconds = z.preprocess(
  unsetIfEmpty,
  z
    .string()
    .refine((v) => /^\d+(\.\d+)?$/.test(v.trim()) && Number(v) >= MIN_TIMEOUT_SECONDS && Number(v) <= 600, {
      message: timeoutMessage,
    })
    .transform(Number)
    .optional()
    .transform((v) => v ?? emailDefaults.timeoutSeconds),
);

const optionalText = (message: string) =>
  z.preprocess(unsetIfEmpty, z.string().refine(noLineBreaks, { message }).optional());

/**
 * The environment variables `loadSmtpConfig()` reads, parsed into an `SmtpConfig`. Parse with
 * `{ reportInput: true }` and `formatZodIssues(error, { secret })` to get messages that echo values.
 */
export const smtpConfigSchema = z
  .object({
    SMTP_HOST: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .trim()
        .refine(isHost, { message: hostMessage })
        .optional(),
    ),
    SMTP_PORT: envPort,
    SMTP_USER: optionalText('expected a user name without line breaks'),
    SMTP_PASSWORD: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .refine(noLineBreaks, { message: 'expected a password without line breaks' })
        .refine(longEnough, { message: tooShort })
        .optional(),
    ),
    SMTP_FROM_EMAIL: z.preprocess(
      unsetIfEmpty,
      z
        .email({ message: 'expected an email address such as alerts@example.com' })
        .max(254, { message: 'expected an email address of at most 254 characters' })
        .optional()
        .transform((v) => v ?? emailDefaults.fromEmail),
    ),
    SMTP_FROM_NAME: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .refine(noLineBreaks, { message: 'expected a display name without line breaks' })
        .optional()
        .transform((v) => v ?? emailDefaults.fromName),
    ),
    SMTP_USE_TLS: envBoolean(emailDefaults.useTls),
    SMTP_USE_SSL: envBoolean(emailDefaults.useSsl),
    SMTP_TIMEOUT_SECONDS: envSeconds,
    SMTP_TLS_REJECT_UNAUTHORIZED: envBoolean(emailDefaults.tlsRejectUnauthorized),
    EMAIL_ENABLED: envBoolean(emailDefaults.enabled),
    SMTP_DKIM_DOMAIN: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .trim()
        .refine((v) => DKIM_DOMAIN.test(v), { message: dkimDomainMessage })
        .transform((v) => v.toLowerCase())
        .optional(),
    ),
    SMTP_DKIM_SELECTOR: z.preprocess(
      unsetIfEmpty,
      z
        .string()
        .trim()
        .refine((v) => DKIM_SELECTOR.test(v), { message: dkimSelectorMessage })
        .optional(),
    ),
    SMTP_DKIM_PRIVATE_KEY: z.preprocess(
      (v) => pemNewlines(unsetIfEmpty(v)),
      z.string().refine(isPrivateKey, { message: dkimKeyMessage }).optional(),
    ),
  })
  // `when` runs the cross-variable rules even when a single variable is already bad, so that one
  // error lists every problem instead of revealing them one deploy at a time.
  .superRefine(
    (raw, ctx) => {
      const env = raw as Record<string, unknown>;
      const text = (key: string) => {
        const v = unsetIfEmpty(env[key]);
        return typeof v === 'string' ? v : undefined;
      };
      const flag = (key: string, fallback: boolean) => {
        const v = env[key];
        return typeof v === 'boolean' ? v : (parseEnvBoolean(text(key)) ?? fallback);
      };
      if (flag('SMTP_USE_TLS', emailDefaults.useTls) && flag('SMTP_USE_SSL', emailDefaults.useSsl)) {
        ctx.addIssue({
          code: 'custom',
          path: ['SMTP_USE_SSL'],
          input: true,
          message:
            'must be false when SMTP_USE_TLS is true (SSL is implicit TLS from the first byte, usually port 465; TLS is STARTTLS, usually port 587)',
        });
      }
      const user = text('SMTP_USER');
      const password = text('SMTP_PASSWORD');
      if (user !== undefined && password === undefined) {
        ctx.addIssue({ code: 'custom', path: ['SMTP_PASSWORD'], message: 'required when SMTP_USER is set' });
      }
      if (password !== undefined && user === undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['SMTP_USER'],
          input: undefined,
          message: 'required when SMTP_PASSWORD is set',
        });
      }
      const dkim = ['SMTP_DKIM_DOMAIN', 'SMTP_DKIM_SELECTOR', 'SMTP_DKIM_PRIVATE_KEY'] as const;
      const given = dkim.filter((key) => text(key) !== undefined);
      if (given.length > 0 && given.length < dkim.length) {
        for (const key of dkim.filter((k) => !given.includes(k))) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            input: undefined,
            message: `required when ${given.join(' or ')} is set: DKIM needs the domain, the selector and the key (or ${key === 'SMTP_DKIM_PRIVATE_KEY' ? 'SMTP_DKIM_PRIVATE_KEY_FILE' : 'all three'})`,
          });
        }
      }
    },
    { when: () => true },
  )
  .transform(
    (env): SmtpConfig => ({
      host: env.SMTP_HOST,
      port: env.SMTP_PORT ?? (env.SMTP_USE_SSL ? emailDefaults.sslPort : emailDefaults.port),
      user: env.SMTP_USER,
      password: env.SMTP_PASSWORD,
      fromEmail: env.SMTP_FROM_EMAIL,
      fromName: env.SMTP_FROM_NAME,
      useTls: env.SMTP_USE_TLS,
      useSsl: env.SMTP_USE_SSL,
      timeoutSeconds: env.SMTP_TIMEOUT_SECONDS,
      enabled: env.EMAIL_ENABLED,
      tlsRejectUnauthorized: env.SMTP_TLS_REJECT_UNAUTHORIZED,
      ...(env.SMTP_DKIM_DOMAIN && env.SMTP_DKIM_SELECTOR && env.SMTP_DKIM_PRIVATE_KEY
        ? {
            dkim: {
              domainName: env.SMTP_DKIM_DOMAIN,
              keySelector: env.SMTP_DKIM_SELECTOR,
              privateKey: env.SMTP_DKIM_PRIVATE_KEY,
            },
          }
        : {}),
    }),
  );

/**
 * Reads the SMTP settings from the environment. `SMTP_PASSWORD` and `SMTP_DKIM_PRIVATE_KEY` may instead
 * be given as `SMTP_PASSWORD_FILE` / `SMTP_DKIM_PRIVATE_KEY_FILE`, the path of a file that holds them
 * (Docker and Kubernetes secrets). Throws a `ConfigError` naming every bad variable and echoing its
 * value, except the password and the DKIM key, which are never shown.
 */
export function loadSmtpConfig(env: Record<string, string | undefined> = process.env): SmtpConfig {
  const { env: resolved, issues, failed } = readSecretEnvs(env, SMTP_SECRET_VARIABLES);
  const result = smtpConfigSchema.safeParse(resolved, { reportInput: true });
  if (!result.success) {
    // A variable whose file could not be read is reported once, for its file, not also as "required".
    const parsed = formatZodIssues(result.error, { secret: isSecret });
    issues.push(...parsed.filter((i) => !failed.has(i.path)));
  }
  if (issues.length || !result.success) throw new ConfigError('Invalid SMTP configuration', issues);
  return result.data;
}

const configObjectSchema = z
  .object({
    host: z
      .string()
      .trim()
      .min(1)
      .refine((v) => !/\s/.test(v), { message: 'expected a host name without spaces' })
      .optional(),
    port: z.number().int().min(1).max(65_535).optional(),
    user: z.string().min(1).refine(noLineBreaks, { message: 'expected no line breaks' }).optional(),
    password: z
      .string()
      .refine(noLineBreaks, { message: 'expected no line breaks' })
      .refine(longEnough, { message: tooShort })
      .optional(),
    fromEmail: z
      .email()
      .max(254, { message: 'expected an email address of at most 254 characters' })
      .default(emailDefaults.fromEmail),
    fromName: z
      .string()
      .refine(noLineBreaks, { message: 'expected no line breaks' })
      .default(emailDefaults.fromName),
    useTls: z.boolean().default(emailDefaults.useTls),
    useSsl: z.boolean().default(emailDefaults.useSsl),
    timeoutSeconds: z
      .number()
      .refine((v) => v >= MIN_TIMEOUT_SECONDS && v <= 600, { message: timeoutMessage })
      .default(emailDefaults.timeoutSeconds),
    enabled: z.boolean().default(emailDefaults.enabled),
    tlsRejectUnauthorized: z.boolean().default(emailDefaults.tlsRejectUnauthorized),
    dkim: z
      .object({
        domainName: z
          .string()
          .refine((v) => DKIM_DOMAIN.test(v), { message: dkimDomainMessage })
          .transform((v) => v.toLowerCase()),
        keySelector: z.string().refine((v) => DKIM_SELECTOR.test(v), { message: dkimSelectorMessage }),
        privateKey: z.string().refine(isPrivateKey, { message: dkimKeyMessage }),
      })
      .optional(),
  })
  .superRefine(
    (c, ctx) => {
      if (c.useTls === true && c.useSsl === true) {
        ctx.addIssue({
          code: 'custom',
          path: ['useSsl'],
          input: true,
          message: 'must be false when useTls (STARTTLS) is true',
        });
      }
      if ((c.user === undefined) !== (c.password === undefined)) {
        ctx.addIssue({
          code: 'custom',
          path: [c.user === undefined ? 'user' : 'password'],
          // Without it zod reports the whole config as the input ("got an object").
          input: undefined,
          message: 'user and password go together: set both or neither',
        });
      }
    },
    { when: () => true },
  )
  .transform(
    (c): SmtpConfig => ({ ...c, port: c.port ?? (c.useSsl ? emailDefaults.sslPort : emailDefaults.port) }),
  );

/** Applies defaults to a config given in code and validates it like `loadSmtpConfig()` does. */
export function resolveSmtpConfig(input: SmtpConfigInput): SmtpConfig {
  const result = configObjectSchema.safeParse(input, { reportInput: true });
  if (!result.success) {
    throw new ConfigError('Invalid SMTP configuration', formatZodIssues(result.error, { secret: isSecret }));
  }
  return result.data;
}
