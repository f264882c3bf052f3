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

describe('redactSecrets() and echoed forms of a secret', () => {
  const path = '/services/T0ACME/B0HOOK/xoxSecretToken42';
  const url = `https://hooks.slack.com${path}`;
  const password = 'p@ss w/rd:%42';

  it.each([
    ['exact', path],
    ['without the leading slash', path.slice(1)],
    ['URL-encoded', encodeURIComponent(path)],
    ['URL-encoded in lower-case hex', encodeURIComponent(path).replace(/%2F/g, '%2f')],
    ['upper-cased', path.toUpperCase()],
    ['lower-cased', path.toLowerCase()],
    ['upper-cased without the slash', path.slice(1).toUpperCase()],
    ['URL-encoded without the slash', encodeURIComponent(path.slice(1))],
  ])('removes a webhook path echoed %s', (_form, echoed) => {
    const out = redactSecrets(`404 no_service for ${echoed} (retry later)`, [url, path]);
    expect(out).toBe('404 no_service for [redacted] (retry later)');
    expect(out.toLowerCase()).not.toContain('xoxsecrettoken42');
  });

  it.each([
    ['exact', password],
    ['URL-encoded', encodeURIComponent(password)],
    ['form-encoded', encodeURIComponent(password).replace(/%20/g, '+')],
    ['URL-encoded in lower-case hex', encodeURIComponent(password).toLowerCase()],
    ['upper-cased', password.toUpperCase()],
    ['encodeURI-encoded', encodeURI(password)],
  ])('removes an SMTP password echoed %s', (_form, echoed) => {
    expect(redactSecrets(`535 auth failed for user ops, password ${echoed}.`, [password])).toBe(
      '535 auth failed for user ops, password [redacted].',
    );
  });

  it('removes a whole webhook URL echoed URL-encoded or upper-cased', () => {
    expect(redactSecrets(`redirect=${encodeURIComponent(url)}`, [url, path])).toBe('redirect=[redacted]');
    expect(redactSecrets(`POST ${url.toUpperCase()} failed`, [url, path])).toBe('POST [redacted] failed');
    expect(redactSecrets(`POST ${url.toUpperCase()} failed`, [])).toBe('POST hooks.slack.com/…EN42 failed');
  });

  it('survives secrets that cannot be URL-encoded', () => {
    expect(redactSecrets('x \ud800abc y', ['\ud800abc'])).toBe('x [redacted] y');
  });
});

describe('redactSecrets() and text from user code', () => {
  it('removes URL userinfo, Slack tokens and webhook URLs, and email addresses, whatever the secrets', () => {
    const text =
      'connect postgres://app:Sup3rS3cret@db.internal:5432/tenants failed; hook https://hooks.slack.com/services/T0/B0/abcd1234 for ops.lead@acme.example, token xoxb-1234-5678-abcdEFGH';
    const out = redactSecrets(text, []);
    expect(out).toBe(
      'connect postgres://…@db.internal:5432/tenants failed; hook hooks.slack.com/…1234 for o…@acme.example, token xox…',
    );
    for (const leak of ['Sup3rS3cret', 'app:', '/services/', 'ops.lead', 'abcdEFGH'])
      expect(out).not.toContain(leak);
  });

  it('removes a quoted part of a known secret of 8 characters or half the secret', () => {
    const password = 'Tr0ub4dor&3horse';
    expect(redactSecrets(`535 bad credentials (${password.slice(0, 10)}...)`, [password])).toBe(
      '535 bad credentials ([redacted]...)',
    );
    // Fewer characters than that are left: they say nothing useful about the secret.
    expect(redactSecrets('535 bad credentials (Tr0ub4d)', [password])).toBe('535 bad credentials (Tr0ub4d)');
    // Two parts next to each other are one redaction.
    expect(redactSecrets(`x ${password.slice(0, 9)}${password.slice(9)} y`, [password])).toBe(
      'x [redacted] y',
    );
  });
});

describe('redactSecrets() and known addresses', () => {
  it('keeps the domain of an address shown redacted, even when the address is a known secret', () => {
    expect(redactSecrets('1 recipient deferred (b…@acme.example 451)', ['bob@acme.example'])).toBe(
      '1 recipient deferred (b…@acme.example 451)',
    );
  });
});
