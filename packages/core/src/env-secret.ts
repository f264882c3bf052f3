import { readFileSync } from 'node:fs';
import { ConfigError, type ValidationIssue } from './errors.js';

// `.env` files often leave a variable empty (`SMTP_PASSWORD=`): that means "not set".
const isSet = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/**
 * Reads a secret setting from `env[name]`, or from the file named by `env[`${name}_FILE`]` (the Docker
 * and Kubernetes secrets convention: the secret is mounted as a file, not put in the environment).
 * A file's content loses one trailing newline (`echo secret > file` adds it; the secret has none).
 *
 * Returns `undefined` when neither is set (an empty value counts as unset). Throws a `ConfigError`
 * when both are set, or when the file cannot be read or is empty; its message names the variables and the reason
 * (e.g. `ENOENT`), never the secret and never the file's content.
 */
export function readSecretEnv(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): string | undefined {
  const fileVariable = `${name}_FILE`;
  const value = env[name];
  const file = env[fileVariable];
  if (isSet(value) && isSet(file)) {
    throw new ConfigError('Invalid configuration', [
      { path: name, message: `set either ${name} or ${fileVariable}, not both` },
    ]);
  }
  if (!isSet(file)) return isSet(value) ? value : undefined;
  let content: string;
  try {
    content = readFileSync(file.trim(), 'utf8');
  } catch (error) {
    // Only the error code: a message from the file system could carry more than we want in a log.
    const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';
    throw new ConfigError('Invalid configuration', [
      {
        path: fileVariable,
        message: `cannot read the file that ${fileVariable} names, for ${name} (${code})`,
      },
    ]);
  }
  const secret = content.replace(/\r?\n$/, '');
  if (secret.trim() === '') {
    // A mounted secret that is empty is a broken deploy, not "no secret": say so rather than run without it.
    throw new ConfigError('Invalid configuration', [
      { path: fileVariable, message: `the file that ${fileVariable} names is empty; expected ${name} in it` },
    ]);
  }
  return secret;
}

/**
 * Reads several secret settings at once, for a config loader: `env` with each of `names` resolved
 * (from its variable or its file), every problem found, and which of them failed, so that the loader
 * reports a failed secret once, for its file, and not also as "required" when it validates `env`.
 */
export function readSecretEnvs(
  env: Readonly<Record<string, string | undefined>>,
  names: readonly string[],
): { env: Record<string, string | undefined>; issues: ValidationIssue[]; failed: ReadonlySet<string> } {
  const resolved: Record<string, string | undefined> = { ...env };
  const issues: ValidationIssue[] = [];
  const failed = new Set<string>();
  for (const name of names) {
    try {
      resolved[name] = readSecretEnv(env, name);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      issues.push(...error.issues);
      failed.add(name);
    }
  }
  return { env: resolved, issues, failed };
}
