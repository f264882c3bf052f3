import { describe, expect, it } from 'vitest';
import { recipientDigest } from './recipient-digest.js';
import { retryOptionsSchema } from './retry-options.js';
import { formatZodIssues } from './zod-issues.js';

const issues = (retry: unknown) => {
  const result = retryOptionsSchema.safeParse(retry, { reportInput: true });
  return result.success ? [] : formatZodIssues(result.error).map((i) => `${i.path}: ${i.message}`);
};

describe('retryOptionsSchema', () => {
  it('accepts core retry options and nothing at all', () => {
    expect(issues(undefined)).toEqual([]);
    expect(issues({ maxAttempts: 3, baseDelayMs: 0, factor: 2, jitter: 'none', sleep: () => {} })).toEqual(
      [],
    );
  });

  it('names the field and echoes the bad value', () => {
    expect(issues({ maxAttempts: 2.5 })).toEqual(['maxAttempts: expected an integer from 1 to 100, got 2.5']);
    expect(issues({ baseDelayMs: Number.NaN })).toEqual([
      'baseDelayMs: expected a number of milliseconds from 0 to 2147483647, got NaN',
    ]);
    expect(issues({ maxRetryAfterMs: 2 ** 31 })).toHaveLength(1);
    expect(issues({ factor: 0.5 })).toEqual(['factor: expected a number from 1 to 100, got 0.5']);
    expect(issues({ sleep: 5 })).toEqual(['sleep: expected a function, got 5']);
  });
});

describe('recipientDigest()', () => {
  it('is the same for the same address whatever its case and spaces, and holds no address', () => {
    const digest = recipientDigest('Ops@Acme.com');
    expect(digest).toMatch(/^[0-9a-f]{16}$/);
    expect(recipientDigest(' ops@acme.com ')).toBe(digest);
    expect(recipientDigest('dev@acme.com')).not.toBe(digest);
  });
});
