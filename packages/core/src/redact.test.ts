import { describe, expect, it } from 'vitest';
import { redactSecrets, redactUrl } from './redact.js';

describe('redactUrl()', () => {
  it('keeps only the host and the last 4 characters of the path', () => {
    expect(redactUrl('https://hooks.slack.com/services/T000/B000/XXXXa1b2')).toBe('hooks.slack.com/…a1b2');
  });

  it('hides credentials in the URL and query', () => {
    expect(redactUrl('https://user:pass@example.com/hook?token=abcdef')).toBe('example.com/…cdef');
  });

  it('shows the host alone when there is no path, and … for what is not a URL', () => {
    expect(redactUrl('https://example.com/')).toBe('example.com');
    expect(redactUrl('not a url/with/secret')).toBe('…');
  });
});

describe('redactSecrets()', () => {
  it('removes the given secrets and any Slack webhook URL', () => {
    const text =
      'login failed for password hunter22; POST https://hooks.slack.com/services/T0/B0/zzzz9999 failed';
    expect(redactSecrets(text, ['hunter22', undefined])).toBe(
      'login failed for password [redacted]; POST hooks.slack.com/…9999 failed',
    );
  });
});
