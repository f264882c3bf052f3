import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readSecretEnv } from './env-secret.js';
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
});
