import { describe, expect, it } from 'vitest';
import { slackTime } from './slack-time.js';

describe('slackTime()', () => {
  it('shows the hour without a leading zero, as Slack does', () => {
    expect(slackTime(new Date('2026-03-01T17:10:00Z'), 'UTC')).toBe('5:10 PM');
    expect(slackTime(new Date('2026-03-01T09:05:00Z'), 'UTC')).toBe('9:05 AM');
    expect(slackTime(new Date('2026-03-01T00:30:00Z'), 'UTC')).toBe('12:30 AM');
  });

  it('uses the time zone it is given', () => {
    expect(slackTime(new Date('2026-03-01T17:10:00Z'), 'Asia/Tokyo')).toBe('2:10 AM');
  });
});
