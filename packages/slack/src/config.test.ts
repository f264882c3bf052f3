import { ConfigError } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
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
