import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@pytake/notify-core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSmtpConfig, resolveSmtpConfig, type SmtpConfigInput, type SmtpDkimConfig } from './config.js';

const error = (fn: () => unknown) => configError(fn).message;

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('loadSmtpConfig', () => {
  it('applies the documented defaults to an empty environment', () => {
    expect(loadSmtpConfig({})).toEqual({
      host: undefined,
      port: 587,
      user: undefined,
      password: undefined,
      fromEmail: 'noreply@pytake.com',
      fromName: 'PyTake',
      useTls: true,
      useSsl: false,
      timeoutSeconds: 10,
      enabled: true,
      tlsRejectUnauthorized: true,
    });
  });

  it('reads every variable', () => {
    expect(
      loadSmtpConfig({
        SMTP_HOST: 'smtp.acme.test',
        SMTP_PORT: '465',
        SMTP_USER: 'mailer',
        SMTP_PASSWORD: 'pw-0123456',
        SMTP_FROM_EMAIL: 'alerts@acme.test',
        SMTP_FROM_NAME: 'Acme Alerts',
        SMTP_USE_TLS: 'false',
        SMTP_USE_SSL: 'true',
        SMTP_TIMEOUT_SECONDS: '2.5',
        SMTP_TLS_REJECT_UNAUTHORIZED: 'false',
        EMAIL_ENABLED: 'no',
      }),
    ).toEqual({
      host: 'smtp.acme.test',
      port: 465,
      user: 'mailer',
      password: 'pw-0123456',
      fromEmail: 'alerts@acme.test',
      fromName: 'Acme Alerts',
      useTls: false,
      useSsl: true,
      timeoutSeconds: 2.5,
      enabled: false,
      tlsRejectUnauthorized: false,
    });
  });

  it.each([
    ['true', true],
    ['TRUE', true],
    ['1', true],
    ['Yes', true],
    ['false', false],
    ['False', false],
    ['0', false],
    ['NO', false],
    [' yes ', true],
  ])('reads the boolean %j as %s', (value, expected) => {
    expect(loadSmtpConfig({ EMAIL_ENABLED: value }).enabled).toBe(expected);
  });

  it('defaults the port to 465 for implicit TLS', () => {
    expect(loadSmtpConfig({ SMTP_USE_SSL: 'true', SMTP_USE_TLS: 'false' }).port).toBe(465);
    expect(loadSmtpConfig({ SMTP_USE_SSL: 'true', SMTP_USE_TLS: 'false', SMTP_PORT: '2465' }).port).toBe(
      2465,
    );
    expect(resolveSmtpConfig({ useSsl: true, useTls: false }).port).toBe(465);
  });

  it('treats an empty variable as unset', () => {
    expect(loadSmtpConfig({ SMTP_PORT: '', SMTP_USER: '', SMTP_PASSWORD: '' })).toMatchObject({
      port: 587,
      user: undefined,
    });
  });

  it('names every bad variable and echoes its value in one error', () => {
    const error = configError(() =>
      loadSmtpConfig({
        SMTP_PORT: 'abc',
        SMTP_USE_TLS: 'maybe',
        EMAIL_ENABLED: 'on',
        SMTP_TIMEOUT_SECONDS: '-1',
        SMTP_FROM_EMAIL: 'nobody',
        SMTP_HOST: 'smtp://x',
      }),
    );
    expect(error.code).toBe('config');
    expect(error.issues.map((i) => i.path).sort()).toEqual(
      [
        'EMAIL_ENABLED',
        'SMTP_FROM_EMAIL',
        'SMTP_HOST',
        'SMTP_PORT',
        'SMTP_TIMEOUT_SECONDS',
        'SMTP_USE_TLS',
      ].sort(),
    );
    expect(error.message).toContain('SMTP_PORT: expected an integer from 1 to 65535, got "abc"');
    expect(error.message).toContain(
      'SMTP_USE_TLS: expected true, false, 1, 0, yes or no (any case), got "maybe"',
    );
    expect(error.message).toContain('"on"');
  });

  it('takes an IPv6 address as nodemailer does, without brackets', () => {
    expect(loadSmtpConfig({ SMTP_HOST: '::1' }).host).toBe('::1');
    expect(loadSmtpConfig({ SMTP_HOST: '2001:db8::25' }).host).toBe('2001:db8::25');
    // nodemailer looks "[::1]" up as a host name and fails every send with EDNS.
    expect(configError(() => loadSmtpConfig({ SMTP_HOST: '[::1]' })).issues).toEqual([
      {
        path: 'SMTP_HOST',
        message: 'expected a host name or IP address (no scheme, port, brackets or spaces), got "[::1]"',
      },
    ]);
  });

  it('refuses TLS and SSL together', () => {
    const error = configError(() => loadSmtpConfig({ SMTP_USE_SSL: 'true' }));
    expect(error.issues).toEqual([
      {
        path: 'SMTP_USE_SSL',
        message: expect.stringMatching(/^must be false when SMTP_USE_TLS is true .*, got "true"$/),
      },
    ]);
    expect(loadSmtpConfig({ SMTP_USE_SSL: 'true', SMTP_USE_TLS: 'false' }).useSsl).toBe(true);
  });

  it('reports a cross-variable problem together with a bad single variable', () => {
    const error = configError(() => loadSmtpConfig({ SMTP_USE_SSL: 'yes', SMTP_PORT: '0' }));
    expect(error.issues.map((i) => i.path).sort()).toEqual(['SMTP_PORT', 'SMTP_USE_SSL']);
  });

  it('wants SMTP_USER and SMTP_PASSWORD both or neither, and never echoes the password', () => {
    const password = 'hunter2-very-secret';
    const noUser = configError(() => loadSmtpConfig({ SMTP_PASSWORD: password }));
    expect(noUser.issues).toEqual([
      { path: 'SMTP_USER', message: 'required when SMTP_PASSWORD is set, got nothing' },
    ]);
    expect(noUser.message).not.toContain(password);
    const noPassword = configError(() => loadSmtpConfig({ SMTP_USER: 'mailer' }));
    expect(noPassword.issues.map((i) => i.path)).toEqual(['SMTP_PASSWORD']);

    const badPassword = configError(() =>
      loadSmtpConfig({ SMTP_USER: 'u', SMTP_PASSWORD: `${password}\nx`, SMTP_PORT: 'x' }),
    );
    expect(badPassword.issues.map((i) => i.path).sort()).toEqual(['SMTP_PASSWORD', 'SMTP_PORT']);
    expect(JSON.stringify(badPassword)).not.toContain(password);
    expect(badPassword.message).not.toContain(password);
    expect(String(badPassword.stack)).not.toContain(password);
  });
});

describe('loadSmtpConfig and resolveSmtpConfig', () => {
  it('refuse a host with a port or a scheme by one rule, naming the variable or the field', () => {
    for (const host of [
      'smtp.example.com:587',
      'smtp://x',
      'smtp.example.com/x',
      '[::1]',
      'smtp example.com',
    ]) {
      const message = `expected a host name or IP address (no scheme, port, brackets or spaces), got ${JSON.stringify(host)}`;
      expect(configError(() => loadSmtpConfig({ SMTP_HOST: host })).issues).toEqual([
        { path: 'SMTP_HOST', message },
      ]);
      expect(configError(() => resolveSmtpConfig({ host })).issues).toEqual([{ path: 'host', message }]);
    }
    for (const host of ['smtp.example.com', '10.0.0.25', '::1', 'localhost']) {
      expect(loadSmtpConfig({ SMTP_HOST: host }).host).toBe(host);
      expect(resolveSmtpConfig({ host }).host).toBe(host);
    }
  });

  it('give every setting they share the same rule and message, each naming its own variable or field', () => {
    const fields: Record<string, string> = {
      SMTP_PORT: 'port',
      SMTP_USER: 'user',
      SMTP_PASSWORD: 'password',
      SMTP_FROM_EMAIL: 'fromEmail',
      SMTP_FROM_NAME: 'fromName',
      SMTP_USE_TLS: 'useTls',
      SMTP_USE_SSL: 'useSsl',
      SMTP_TIMEOUT_SECONDS: 'timeoutSeconds',
      SMTP_DKIM_DOMAIN: 'dkim.domainName',
      SMTP_DKIM_SELECTOR: 'dkim.keySelector',
      SMTP_DKIM_PRIVATE_KEY: 'dkim.privateKey',
    };
    // The environment's message in the words of a config given in code, without the echoed value
    // (a variable's text is quoted, a number in code is not).
    const inCode = (issue: { path: string; message: string }) => ({
      path: fields[issue.path] ?? issue.path,
      message: issue.message.replace(/\bSMTP_[A-Z_]+/g, (v) => fields[v] ?? v).replace(/, got .*$/, ''),
    });
    const withoutValue = (issue: { path: string; message: string }) => ({
      ...issue,
      message: issue.message.replace(/, got .*$/, ''),
    });
    const password = 'long-enough-secret';
    const cases: [Record<string, string>, SmtpConfigInput][] = [
      [{ SMTP_PORT: '70000' }, { port: 70_000 }],
      [{ SMTP_PORT: '1.5' }, { port: 1.5 }],
      [{ SMTP_FROM_EMAIL: 'nobody' }, { fromEmail: 'nobody' }],
      [{ SMTP_FROM_NAME: 'Ops\r\nBcc: x' }, { fromName: 'Ops\r\nBcc: x' }],
      [
        { SMTP_USER: 'a\nb', SMTP_PASSWORD: password },
        { user: 'a\nb', password },
      ],
      [
        { SMTP_USER: 'mailer', SMTP_PASSWORD: `${password}\n` },
        { user: 'mailer', password: `${password}\n` },
      ],
      [{ SMTP_PASSWORD: password }, { password }],
      [{ SMTP_USER: 'mailer' }, { user: 'mailer' }],
      [{ SMTP_TIMEOUT_SECONDS: '601' }, { timeoutSeconds: 601 }],
      [{ SMTP_USE_SSL: 'true' }, { useSsl: true }],
      [
        { SMTP_DKIM_DOMAIN: 'not a domain', SMTP_DKIM_SELECTOR: 's1' },
        { dkim: { domainName: 'not a domain', keySelector: 's1' } as SmtpDkimConfig },
      ],
    ];
    for (const [env, config] of cases) {
      const fromEnv = configError(() => loadSmtpConfig(env));
      const fromCode = configError(() => resolveSmtpConfig(config));
      expect(fromCode.issues.map(withoutValue)).toEqual(fromEnv.issues.map(inCode));
      expect(JSON.stringify([fromEnv.issues, fromCode.issues])).not.toContain(password);
    }
  });

  it('refuse a timeout that would reach nodemailer as 0 ms (its own multi-minute default)', () => {
    const fromEnv = configError(() => loadSmtpConfig({ SMTP_TIMEOUT_SECONDS: '0.0001' }));
    expect(fromEnv.issues).toEqual([
      {
        path: 'SMTP_TIMEOUT_SECONDS',
        message: 'expected a number of seconds from 0.001 (1 ms) to 600, got "0.0001"',
      },
    ]);
    for (const bad of [0.0001, 0, Number.NaN, Number.POSITIVE_INFINITY, 601]) {
      const error = configError(() => resolveSmtpConfig({ timeoutSeconds: bad }));
      expect(error.issues.map((i) => i.path)).toEqual(['timeoutSeconds']);
    }
    expect(resolveSmtpConfig({ timeoutSeconds: 0.001 }).timeoutSeconds).toBe(0.001);
    expect(error(() => resolveSmtpConfig({ timeoutSeconds: 0.0001 }))).toContain('got 0.0001');
  });

  it('refuse a password shorter than 8 characters, which could not be kept out of error texts', () => {
    const fromEnv = configError(() => loadSmtpConfig({ SMTP_USER: 'mailer', SMTP_PASSWORD: 'ab' }));
    expect(fromEnv.issues).toEqual([
      {
        path: 'SMTP_PASSWORD',
        message: expect.stringMatching(/^expected at least 8 characters: .*error messages$/),
      },
    ]);
    const inCode = configError(() => resolveSmtpConfig({ user: 'mailer', password: 'x' }));
    expect(inCode.issues.map((i) => i.path)).toEqual(['password']);
    expect(inCode.message).not.toMatch(/got/);
    expect(resolveSmtpConfig({ user: 'mailer', password: '12345678' }).password).toBe('12345678');
  });
});

describe('resolveSmtpConfig', () => {
  it('applies defaults to a config given in code', () => {
    expect(resolveSmtpConfig({ host: 'smtp.acme.test' })).toMatchObject({
      host: 'smtp.acme.test',
      port: 587,
      useTls: true,
    });
  });

  it('refuses TLS with SSL, a user without a password, and a bad port, without echoing the password', () => {
    const error = configError(() =>
      resolveSmtpConfig({ useSsl: true, password: 'hunter2-very-secret', port: 70_000 }),
    );
    expect(error.issues.map((i) => i.path).sort()).toEqual(['port', 'user', 'useSsl'].sort());
    expect(error.message).not.toContain('hunter2');
  });

  it('says which half of the login is missing without echoing the whole config', () => {
    const error = configError(() => resolveSmtpConfig({ password: 'hunter2-very-secret' }));
    expect(error.issues).toEqual([{ path: 'user', message: 'required when password is set, got nothing' }]);
  });
});

describe('loadSmtpConfig() with secrets in files (NAME_FILE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'notify-email-secret-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const secretFile = (content: string) => {
    const path = join(dir, `secret-${Math.random().toString(36).slice(2)}`);
    writeFileSync(path, content);
    return path;
  };

  it('reads SMTP_PASSWORD from SMTP_PASSWORD_FILE, without the trailing newline', () => {
    const config = loadSmtpConfig({ SMTP_USER: 'bot', SMTP_PASSWORD_FILE: secretFile('file-password-1\n') });
    expect(config.password).toBe('file-password-1');
  });

  it('refuses SMTP_PASSWORD and SMTP_PASSWORD_FILE together, showing neither', () => {
    const run = () =>
      loadSmtpConfig({
        SMTP_USER: 'bot',
        SMTP_PASSWORD: 'inline-password-1',
        SMTP_PASSWORD_FILE: secretFile('file-password-2'),
      });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/SMTP_PASSWORD or SMTP_PASSWORD_FILE/);
    expect(run).not.toThrow(/inline-password-1|file-password-2/);
  });

  it('names SMTP_PASSWORD_FILE for a missing file, once, and still reports the other variables', () => {
    let error: ConfigError | undefined;
    try {
      loadSmtpConfig({ SMTP_USER: 'bot', SMTP_PASSWORD_FILE: join(dir, 'absent'), SMTP_PORT: 'x' });
    } catch (caught) {
      error = caught as ConfigError;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.issues.map((i) => i.path).sort()).toEqual(['SMTP_PASSWORD_FILE', 'SMTP_PORT']);
    expect(error!.message).toContain('ENOENT');
  });

  it('checks a password from a file like one from the variable, without echoing it', () => {
    expect(() => loadSmtpConfig({ SMTP_USER: 'bot', SMTP_PASSWORD_FILE: secretFile('short\n') })).toThrow(
      /SMTP_PASSWORD: expected at least 8 characters/,
    );
    expect(() => loadSmtpConfig({ SMTP_USER: 'bot', SMTP_PASSWORD_FILE: secretFile('short\n') })).not.toThrow(
      /short"/,
    );
  });
});
