import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSecretEnv, readSecretEnvs } from './env-secret.js';
import { ConfigError } from './errors.js';

const dir = mkdtempSync(join(tmpdir(), 'notify-core-secret-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const thrown = (run: () => unknown): ConfigError => {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
};

describe('readSecretEnv', () => {
  it('reads the variable itself, and treats an empty one as unset', () => {
    expect(readSecretEnv({ SMTP_PASSWORD: 's3cret-value' }, 'SMTP_PASSWORD')).toBe('s3cret-value');
    expect(readSecretEnv({ SMTP_PASSWORD: '' }, 'SMTP_PASSWORD')).toBeUndefined();
    expect(readSecretEnv({}, 'SMTP_PASSWORD')).toBeUndefined();
  });

  it('reads NAME_FILE, without the trailing newline that `echo` leaves', () => {
    expect(readSecretEnv({ SMTP_PASSWORD_FILE: file('a', 's3cret-value\n') }, 'SMTP_PASSWORD')).toBe(
      's3cret-value',
    );
    expect(readSecretEnv({ SMTP_PASSWORD_FILE: file('b', 's3cret-value\r\n') }, 'SMTP_PASSWORD')).toBe(
      's3cret-value',
    );
    // Only one newline: a PEM key keeps its own line structure.
    expect(readSecretEnv({ KEY_FILE: file('c', 'line 1\nline 2\n') }, 'KEY')).toBe('line 1\nline 2');
    expect(
      readSecretEnv({ SMTP_PASSWORD: '', SMTP_PASSWORD_FILE: file('d', 'x-secret') }, 'SMTP_PASSWORD'),
    ).toBe('x-secret');
  });

  it('refuses both at once, naming both variables and neither value', () => {
    const error = thrown(() =>
      readSecretEnv(
        { SMTP_PASSWORD: 'inline-secret', SMTP_PASSWORD_FILE: file('e', 'file-secret') },
        'SMTP_PASSWORD',
      ),
    );
    expect(error.message).toContain('SMTP_PASSWORD');
    expect(error.message).toContain('SMTP_PASSWORD_FILE');
    expect(error.message).not.toContain('inline-secret');
    expect(error.message).not.toContain('file-secret');
  });

  it('names the variable for a missing, unreadable or empty file, never its content', () => {
    const missing = thrown(() => readSecretEnv({ TOKEN_FILE: join(dir, 'nope') }, 'TOKEN'));
    expect(missing.issues).toEqual([{ path: 'TOKEN_FILE', message: expect.stringContaining('ENOENT') }]);
    expect(thrown(() => readSecretEnv({ TOKEN_FILE: dir }, 'TOKEN')).message).toContain('EISDIR');
    expect(thrown(() => readSecretEnv({ TOKEN_FILE: file('f', '\n') }, 'TOKEN')).message).toContain('empty');
    const locked = file('g', 'locked-secret');
    chmodSync(locked, 0o000);
    try {
      // root reads any file; the check only means something for other users.
      if (process.getuid?.() !== 0) {
        const error = thrown(() => readSecretEnv({ TOKEN_FILE: locked }, 'TOKEN'));
        expect(error.message).toContain('EACCES');
        expect(error.message).not.toContain('locked-secret');
      }
    } finally {
      chmodSync(locked, 0o600);
    }
  });

  it('follows links, as in a Kubernetes secret volume (name -> ..data/name, ..data -> a dated folder)', () => {
    const volume = join(dir, 'volume');
    mkdirSync(join(volume, '..2026_01_05_10_00_00.123456789'), { recursive: true });
    writeFileSync(join(volume, '..2026_01_05_10_00_00.123456789', 'smtp_password'), 'k8s-secret-value\n');
    symlinkSync('..2026_01_05_10_00_00.123456789', join(volume, '..data'));
    symlinkSync(join('..data', 'smtp_password'), join(volume, 'smtp_password'));
    expect(readSecretEnv({ SMTP_PASSWORD_FILE: join(volume, 'smtp_password') }, 'SMTP_PASSWORD')).toBe(
      'k8s-secret-value',
    );
    // An absolute link to a regular file, too.
    const link = join(dir, 'link-to-a');
    symlinkSync(file('plain', 'linked-secret'), link);
    expect(readSecretEnv({ SMTP_PASSWORD_FILE: link }, 'SMTP_PASSWORD')).toBe('linked-secret');
  });

  it('refuses a FIFO at once, rather than wait for a writer', () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    // Should the reader wait for a writer after all, this one comes along and writes, so that the test
    // fails instead of hanging; it is stopped as soon as the reader has answered.
    const writer = spawn(
      process.execPath,
      [
        '-e',
        'setTimeout(() => require("node:fs").writeFileSync(process.argv[1], "fifo-secret"), 2000)',
        fifo,
      ],
      { stdio: 'ignore' },
    );
    try {
      const error = thrown(() => readSecretEnv({ SMTP_PASSWORD_FILE: fifo }, 'SMTP_PASSWORD'));
      expect(error.issues).toEqual([
        { path: 'SMTP_PASSWORD_FILE', message: expect.stringContaining('not a regular file') },
      ]);
      expect(error.message).toContain('SMTP_PASSWORD_FILE: ');
      expect(error.message).toContain('FIFO');
    } finally {
      writer.kill();
    }
  });

  it.runIf(existsSync('/dev/zero'))('refuses a device such as /dev/zero, which never ends', () => {
    const error = thrown(() => readSecretEnv({ SMTP_PASSWORD_FILE: '/dev/zero' }, 'SMTP_PASSWORD'));
    expect(error.issues).toEqual([
      { path: 'SMTP_PASSWORD_FILE', message: expect.stringContaining('not a regular file') },
    ]);
    expect(error.message).toContain('character device');
  });

  it('reads a file of up to 64 KiB and refuses a larger one, without showing it', () => {
    const limit = 64 * 1024;
    expect(readSecretEnv({ KEY_FILE: file('full', 'k'.repeat(limit)) }, 'KEY')).toHaveLength(limit);
    const error = thrown(() => readSecretEnv({ KEY_FILE: file('over', `${'k'.repeat(limit)}\n`) }, 'KEY'));
    expect(error.issues).toEqual([{ path: 'KEY_FILE', message: expect.stringContaining('64 KiB') }]);
    expect(error.message).not.toContain('kkkk');
  });
});

describe('readSecretEnvs', () => {
  it('reports a refused file as an issue of its variable, and reads the others', () => {
    const { env, issues, failed } = readSecretEnvs(
      { SMTP_PASSWORD_FILE: file('huge', 'p'.repeat(100_000)), TOKEN_FILE: file('token', 'token-value\n') },
      ['SMTP_PASSWORD', 'TOKEN'],
    );
    expect(env.TOKEN).toBe('token-value');
    expect(env.SMTP_PASSWORD).toBeUndefined();
    expect(issues.map((i) => i.path)).toEqual(['SMTP_PASSWORD_FILE']);
    expect([...failed]).toEqual(['SMTP_PASSWORD']);
  });
});
