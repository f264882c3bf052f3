import { ConfigError, formatZodIssues, readSecretEnvs } from '@pytake/notify-core';
import { createConfigSchema } from './config-schema.js';
import { smtpConfigSchema } from './env-schema.js';
import type { SmtpConfig, SmtpConfigInput } from './smtp-config.js';

export type { SmtpConfig, SmtpConfigInput, SmtpDkimConfig } from './smtp-config.js';

// Never echoed: the password and the DKIM key, by variable and by field (and `dkim`, which holds the key).
const SECRETS = new Set(['SMTP_PASSWORD', 'password', 'SMTP_DKIM_PRIVATE_KEY', 'dkim', 'dkim.privateKey']);
const isSecret = (path: string) => SECRETS.has(path);

/** The settings that may also come from a file named by `NAME_FILE` (core `readSecretEnv()`). */
export const SMTP_SECRET_VARIABLES = ['SMTP_PASSWORD', 'SMTP_DKIM_PRIVATE_KEY'] as const;

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

// The same rules as the environment's, each message naming the field.
const configObjectSchema = createConfigSchema((field) => field);

/** Applies defaults to a config given in code and validates it like `loadSmtpConfig()` does. */
export function resolveSmtpConfig(input: SmtpConfigInput): SmtpConfig {
  const result = configObjectSchema.safeParse(input, { reportInput: true });
  if (!result.success) {
    throw new ConfigError('Invalid SMTP configuration', formatZodIssues(result.error, { secret: isSecret }));
  }
  return result.data;
}
