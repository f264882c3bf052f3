import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';
import { ConfigError, type ValidationIssue } from './errors.js';

// `.env` files often leave a variable empty (`SMTP_PASSWORD=`): that means "not set".
const isSet = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/**
 * The most a secret file may hold. A password, a token or a 4096-bit PEM key is a few KiB; anything
 * larger is the wrong file, and reading it whole (a log, a disk image) would only cost memory.
 */
const MAX_SECRET_FILE_BYTES = 64 * 1024;

/** What a file that is not a regular one is, for the message that refuses it. */
function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory (EISDIR)';
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'of another kind';
}

// Only the error code: a message from the file system could carry more than we want in a log.
const errorCode = (error: unknown) => (error as NodeJS.ErrnoException | undefined)?.code ?? 'unknown error';

/**
 * The content of the secret file that `fileVariable` names. Links are followed (Kubernetes mounts
 * each secret as a link into `..data/`), but only a regular file is read, and at most
 * `MAX_SECRET_FILE_BYTES` of it: a FIFO would block start-up until something writes to it, and a
 * device such as /dev/zero never ends, so reading it whole would abort the process.
 */
function readSecretFile(path: string, fileVariable: string, name: string): string {
  const refuse = (message: string) =>
    new ConfigError('Invalid configuration', [{ path: fileVariable, message }]);
  const unreadable = (error: unknown) =>
    refuse(`cannot read the file that ${fileVariable} names, for ${name} (${errorCode(error)})`);
  let fd: number;
  try {
    // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer. It changes nothing
    // for a regular file, the only kind that is read.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw unreadable(error);
  }
  try {
    // The opened file's own stats, so that what is checked is what is read.
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      throw refuse(
        `the file that ${fileVariable} names is ${fileKind(stats)}, not a regular file; expected a regular file (or a link to one) that holds ${name}`,
      );
    }
    // One byte more than allowed, to tell a file of exactly the limit from a longer one.
    const buffer = Buffer.alloc(MAX_SECRET_FILE_BYTES + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > MAX_SECRET_FILE_BYTES) {
      throw refuse(
        `the file that ${fileVariable} names is larger than ${MAX_SECRET_FILE_BYTES / 1024} KiB; expected ${name} in it, which is far smaller`,
      );
    }
    return buffer.toString('utf8', 0, length);
  } catch (error) {
    throw error instanceof ConfigError ? error : unreadable(error);
  } finally {
    closeSync(fd);
  }
}

/**
 * Reads a secret setting from `env[name]`, or from the file named by `env[name + '_FILE']` (the Docker
 * and Kubernetes secrets convention: the secret is mounted as a file, not put in the environment).
 * A file's content loses one trailing newline (`echo secret > file` adds it; the secret has none).
 * Links are followed; the file must be a regular file of at most 64 KiB.
 *
 * Returns `undefined` when neither is set (an empty value counts as unset). Throws a `ConfigError`
 * when both are set, or when the file cannot be read, is not a regular file, is over 64 KiB or is
 * empty; its message names the variables and the reason (e.g. `ENOENT`), never the secret and never
 * the file's content.
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
  const content = readSecretFile(file.trim(), fileVariable, name);
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
