import { ConfigError } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
import { checkUrl, MAX_URL_LENGTH } from './check-url.js';

const hosts = ['hooks.slack.com'];

describe('checkUrl', () => {
  it('accepts a Slack URL on the default port, written or not', () => {
    expect(checkUrl('https://hooks.slack.com/services/T/B/x', 'webhookUrl', hosts).port).toBe('');
    expect(checkUrl('https://hooks.slack.com:443/services/T/B/x', 'webhookUrl', hosts).port).toBe('');
  });

  it.each(['https://hooks.slack.com:8443/services/T/B/x', 'https://hooks.slack.com:80/services/T/B/x'])(
    'refuses %s: Slack hosts only on 443',
    (url) => {
      expect(() => checkUrl(url, 'webhookUrl', hosts)).toThrow(ConfigError);
      expect(() => checkUrl(url, 'webhookUrl', hosts)).toThrow('only reached over https on port 443');
    },
  );

  it('refuses Slack hosts on another port even when allowedHosts names them', () => {
    expect(() =>
      checkUrl('https://hooks.slack.com:8443/services/T/B/x', 'webhookUrl', hosts, ['hooks.slack.com']),
    ).toThrow('port 443');
  });

  it('keeps any port for a loopback host named in allowedHosts (tests)', () => {
    expect(checkUrl('http://127.0.0.1:8080/services/T/B/x', 'webhookUrl', hosts, ['127.0.0.1']).port).toBe(
      '8080',
    );
  });

  it(`refuses a URL over ${MAX_URL_LENGTH} characters without echoing it`, () => {
    const base = 'https://hooks.slack.com/services/T/B/';
    const fits = `${base}${'x'.repeat(MAX_URL_LENGTH - base.length)}`;
    expect(checkUrl(fits, 'webhookUrl', hosts).href).toBe(fits);
    const long = `${fits}y`;
    expect(() => checkUrl(long, 'webhookUrl', hosts)).toThrow(
      `webhookUrl: expected at most ${MAX_URL_LENGTH} characters, got ${MAX_URL_LENGTH + 1}`,
    );
    expect(() => checkUrl(long, 'webhookUrl', hosts)).not.toThrow('xxxx');
  });
});
