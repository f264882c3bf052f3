import { formatZodIssues, parseEnvBoolean } from '@pytake/notify-core';
import { z } from 'zod';
import { type ConfigField, createConfigSchema } from './config-schema.js';
import type { SmtpConfig } from './smtp-config.js';

/** Every variable `loadSmtpConfig()` reads, by the field of `SmtpConfigInput` it sets. */
export const SMTP_VARIABLES = {
  host: 'SMTP_HOST',
  port: 'SMTP_PORT',
  user: 'SMTP_USER',
  password: 'SMTP_PASSWORD',
  fromEmail: 'SMTP_FROM_EMAIL',
  fromName: 'SMTP_FROM_NAME',
  useTls: 'SMTP_USE_TLS',
  useSsl: 'SMTP_USE_SSL',
  timeoutSeconds: 'SMTP_TIMEOUT_SECONDS',
  tlsRejectUnauthorized: 'SMTP_TLS_REJECT_UNAUTHORIZED',
  enabled: 'EMAIL_ENABLED',
  'dkim.domainName': 'SMTP_DKIM_DOMAIN',
  'dkim.keySelector': 'SMTP_DKIM_SELECTOR',
  'dkim.privateKey': 'SMTP_DKIM_PRIVATE_KEY',
} as const satisfies Record<ConfigField, string>;

const FLAGS = new Set<ConfigField>(['useTls', 'useSsl', 'tlsRejectUnauthorized', 'enabled']);
const NUMBERS = new Set<ConfigField>(['port', 'timeoutSeconds']);

// The rules of a config given in code; only the messages name the variables.
const rules = createConfigSchema((field) => SMTP_VARIABLES[field]);

// `.env` files often leave a variable empty (`SMTP_USER=`): that means "not set", not "empty string".
const unsetIfEmpty = (value: unknown) =>
  typeof value === 'string' && value.trim() === '' ? undefined : value;

/**
 * The text of one variable as the value of its field. Only the syntax of the environment is read
 * here; whatever the rules refuse (a port of "465x", a timeout of "-1") is passed on as written, for
 * the rules to refuse with the message they give in code.
 */
function fieldValue(field: ConfigField, text: string): { value: unknown } | { issue: string } {
  if (FLAGS.has(field)) {
    const flag = parseEnvBoolean(text);
    return flag === undefined
      ? { issue: 'expected true, false, 1, 0, yes or no (any case)' }
      : { value: flag };
  }
  if (NUMBERS.has(field)) return { value: /^\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : text };
  // A key pasted into one environment variable often has its newlines written as `\n`.
  if (field === 'dkim.privateKey' && !text.includes('\n')) return { value: text.replace(/\\n/g, '\n') };
  return { value: text };
}

/**
 * The environment variables `loadSmtpConfig()` reads, parsed into an `SmtpConfig` by the rules of a
 * config given in code (`resolveSmtpConfig()`): each issue names the variable and echoes its text as
 * written. Parse with `{ reportInput: true }` and `formatZodIssues(error, { secret })`.
 */
export const smtpConfigSchema = z
  .custom<Record<string, unknown>>((env) => typeof env === 'object' && env !== null, {
    message: 'expected an object of environment variables',
  })
  .transform((env, ctx): SmtpConfig => {
    const input: Record<string, unknown> = {};
    const dkim: Record<string, unknown> = {};
    let bad = false;
    for (const [field, variable] of Object.entries(SMTP_VARIABLES) as [ConfigField, string][]) {
      const raw = unsetIfEmpty(env[variable]);
      if (raw === undefined) continue;
      // Not text (a caller in plain JavaScript): the rules decide on the value as it is.
      const read = typeof raw === 'string' ? fieldValue(field, raw) : { value: raw };
      if ('issue' in read) {
        ctx.addIssue({ code: 'custom', path: [variable], input: raw, message: read.issue });
        bad = true;
      } else if (field.startsWith('dkim.')) dkim[field.slice('dkim.'.length)] = read.value;
      else input[field] = read.value;
    }
    if (Object.keys(dkim).length) input.dkim = dkim;
    const result = rules.safeParse(input, { reportInput: true });
    if (result.success && !bad) return result.data;
    // The rules' messages, without the value they saw: the variable's own text is echoed instead
    // (by the caller's formatZodIssues, which knows the secrets).
    for (const issue of result.error ? formatZodIssues(result.error, { secret: () => true }) : []) {
      const variable = SMTP_VARIABLES[issue.path as ConfigField] ?? issue.path;
      ctx.addIssue({ code: 'custom', path: [variable], input: env[variable], message: issue.message });
    }
    return z.NEVER;
  });
