import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '@pytake/notify-core';
import { afterAll, describe, expect, it } from 'vitest';
import { loadSlackConfig } from './config.js';
import { createSlackWebhookChannel } from './webhook-channel.js';

describe('loadSlackConfig', () => {
  describe('loadSlackConfig()', () => {
    it('applies the defaults', () => {
      expect(loadSlackConfig({})).toEqual({
        enabled: true,
        timeoutSeconds: 10,
        retryCount: 3,
        mentionOnEscalation: false,
        threadReplies: false,
      });
    });

    it('reads every variable', () => {
      expect(
        loadSlackConfig({
          SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0/B0/xyz',
          SLACK_ENABLED: 'no',
          SLACK_TIMEOUT_SECONDS: '2.5',
          SLACK_RETRY_COUNT: '0',
          SLACK_MENTION_ON_ESCALATION: 'U024BE7LH, SAZ94GDB8',
          SLACK_THREAD_REPLIES: 'TRUE',
          SLACK_BOT_TOKEN: 'xoxb-1-2-abc',
          SLACK_SIGNING_SECRET: '8f742231b10e8888abcd',
        }),
      ).toEqual({
        webhookUrl: 'https://hooks.slack.com/services/T0/B0/xyz',
        enabled: false,
        timeoutSeconds: 2.5,
        retryCount: 0,
        mentionOnEscalation: ['U024BE7LH', 'SAZ94GDB8'],
        threadReplies: true,
        botToken: 'xoxb-1-2-abc',
        signingSecret: '8f742231b10e8888abcd',
      });
    });

    it('names every bad variable and echoes values that are not secret', () => {
      let error: unknown;
      try {
        loadSlackConfig({
          SLACK_TIMEOUT_SECONDS: 'abc',
          SLACK_RETRY_COUNT: '99',
          SLACK_ENABLED: 'maybe',
          SLACK_MENTION_ON_ESCALATION: '@ana',
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as Error).message;
      expect(message).toContain('SLACK_TIMEOUT_SECONDS: expected a number from 0.1 to 300, got "abc"');
      expect(message).toContain('SLACK_RETRY_COUNT: expected an integer from 0 to 10, got "99"');
      expect(message).toContain('SLACK_ENABLED');
      expect(message).toContain('SLACK_MENTION_ON_ESCALATION');
    });

    it.each([
      ['SLACK_TIMEOUT_SECONDS', 'NaN'],
      ['SLACK_TIMEOUT_SECONDS', 'Infinity'],
      ['SLACK_TIMEOUT_SECONDS', '-1'],
      ['SLACK_TIMEOUT_SECONDS', '1e3'],
      ['SLACK_TIMEOUT_SECONDS', '0x10'],
      ['SLACK_TIMEOUT_SECONDS', '0.0001'],
      ['SLACK_TIMEOUT_SECONDS', '301'],
      ['SLACK_RETRY_COUNT', '2.5'],
      ['SLACK_RETRY_COUNT', '-1'],
      ['SLACK_RETRY_COUNT', 'NaN'],
    ])('refuses %s=%s with a ConfigError that names it and echoes the value', (name, value) => {
      expect(() => loadSlackConfig({ [name]: value })).toThrow(ConfigError);
      expect(() => loadSlackConfig({ [name]: value })).toThrow(`${name}: expected`);
      expect(() => loadSlackConfig({ [name]: value })).toThrow(`got "${value}"`);
    });

    it('gives numbers that the channels accept', () => {
      const config = loadSlackConfig({ SLACK_TIMEOUT_SECONDS: '0.1', SLACK_RETRY_COUNT: '10' });
      expect(() =>
        createSlackWebhookChannel({
          timeoutMs: config.timeoutSeconds * 1000,
          retry: { maxAttempts: config.retryCount + 1 },
        }),
      ).not.toThrow();
    });

    it('refuses a webhook URL over 2,048 characters without echoing it', () => {
      const url = `https://hooks.slack.com/services/T0/B0/${'s3cr3t'.repeat(400)}`;
      expect(() => loadSlackConfig({ SLACK_WEBHOOK_URL: url })).toThrow('SLACK_WEBHOOK_URL');
      expect(() => loadSlackConfig({ SLACK_WEBHOOK_URL: url })).not.toThrow('s3cr3t');
    });

    it('never echoes the webhook URL, token or signing secret', () => {
      let error: unknown;
      try {
        loadSlackConfig({
          SLACK_WEBHOOK_URL: 'http://hooks.slack.com/services/T0/B0/s3cr3tpath',
          SLACK_BOT_TOKEN: 'bad s3cr3ttoken',
          SLACK_SIGNING_SECRET: 'short s3cr3tsign',
        });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const text = `${String(error)} ${JSON.stringify(error)}`;
      expect(text).toContain('SLACK_WEBHOOK_URL');
      expect(text).toContain('SLACK_BOT_TOKEN');
      expect(text).toContain('SLACK_SIGNING_SECRET');
      expect(text).not.toContain('s3cr3t');
    });
  });
});

describe('loadSlackConfig() with secrets in files (NAME_FILE)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'notify-slack-secret-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;
  const secretFile = (content: string) => {
    const path = join(dir, `secret-${n++}`);
    writeFileSync(path, content);
    return path;
  };
  const errorOf = (env: Record<string, string>): ConfigError => {
    try {
      loadSlackConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return error as ConfigError;
    }
    throw new Error('expected a ConfigError');
  };

  it('reads the webhook URL, bot token and signing secret from files, without the trailing newline', () => {
    const config = loadSlackConfig({
      SLACK_WEBHOOK_URL_FILE: secretFile('https://hooks.slack.com/services/T0/B0/fromfile\n'),
      SLACK_BOT_TOKEN_FILE: secretFile('xoxb-1-2-fromfile\n'),
      SLACK_SIGNING_SECRET_FILE: secretFile('8f742231b10e8888fromfile\r\n'),
    });
    expect(config.webhookUrl).toBe('https://hooks.slack.com/services/T0/B0/fromfile');
    expect(config.botToken).toBe('xoxb-1-2-fromfile');
    expect(config.signingSecret).toBe('8f742231b10e8888fromfile');
  });

  it('refuses a variable and its file together, naming both and showing neither value', () => {
    const error = errorOf({
      SLACK_BOT_TOKEN: 'xoxb-1-2-inlinesecret',
      SLACK_BOT_TOKEN_FILE: secretFile('xoxb-1-2-filesecret'),
    });
    expect(error.issues.map((i) => i.path)).toEqual(['SLACK_BOT_TOKEN']);
    expect(error.message).toContain('SLACK_BOT_TOKEN_FILE');
    expect(error.message).not.toMatch(/inlinesecret|filesecret/);
  });

  it('names the variable of a missing file once, and still reports every other problem', () => {
    const error = errorOf({
      SLACK_SIGNING_SECRET_FILE: join(dir, 'absent'),
      SLACK_RETRY_COUNT: 'many',
    });
    expect(error.issues.map((i) => i.path).sort()).toEqual([
      'SLACK_RETRY_COUNT',
      'SLACK_SIGNING_SECRET_FILE',
    ]);
    expect(error.message).toContain('ENOENT');
  });

  it('checks a value from a file like one from the variable, without echoing it', () => {
    const error = errorOf({
      SLACK_WEBHOOK_URL_FILE: secretFile('http://hooks.slack.com/services/T0/B0/s3cr3tpath\n'),
    });
    expect(error.issues.map((i) => i.path)).toEqual(['SLACK_WEBHOOK_URL']);
    expect(error.message).not.toContain('s3cr3tpath');
  });
});
