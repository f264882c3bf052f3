import { describe, expect, it } from 'vitest';
import { formatDateTime, isTimeZone } from './format-date.js';

describe('formatDateTime', () => {
  const at = new Date('2025-12-14T14:30:00Z');

  it('shows the instant in the locale and time zone asked for, each time', () => {
    expect(formatDateTime(at, 'en', 'UTC')).toBe('Dec 14, 2025, 2:30 PM GMT+0');
    expect(formatDateTime(at, 'pt-BR', 'America/Sao_Paulo')).toBe('14 de dez. de 2025, 11:30 GMT-3');
    // Same instant again, now from the kept texts: still per locale and zone.
    expect(formatDateTime(at, 'en', 'UTC')).toBe('Dec 14, 2025, 2:30 PM GMT+0');
    expect(formatDateTime(at, 'en', 'America/Sao_Paulo')).toBe('Dec 14, 2025, 11:30 AM GMT-3');
  });

  it('names every zone by its offset, in every locale (never BRT in one and GMT-3 in another)', () => {
    const zones = {
      UTC: 'GMT+0',
      'America/Sao_Paulo': 'GMT-3',
      'Asia/Tokyo': 'GMT+9',
      'Asia/Kolkata': 'GMT+5:30',
    };
    for (const locale of ['en', 'pt-BR'] as const)
      for (const [zone, name] of Object.entries(zones))
        expect(formatDateTime(at, locale, zone).endsWith(` ${name}`), `${locale} ${zone}`).toBe(true);
  });

  it('stays right after more instants than it keeps', () => {
    const minute = 60_000;
    for (let i = 0; i < 600; i++) formatDateTime(new Date(at.getTime() + i * minute), 'en', 'UTC');
    expect(formatDateTime(new Date(at.getTime() + 90 * minute), 'en', 'UTC')).toBe(
      'Dec 14, 2025, 4:00 PM GMT+0',
    );
    expect(formatDateTime(at, 'en', 'UTC')).toBe('Dec 14, 2025, 2:30 PM GMT+0');
  });

  it('throws for an invalid date instead of remembering it', () => {
    expect(() => formatDateTime(new Date(Number.NaN), 'en', 'UTC')).toThrow(RangeError);
    expect(() => formatDateTime(new Date(Number.NaN), 'en', 'UTC')).toThrow(RangeError);
  });
});

describe('isTimeZone', () => {
  it('knows IANA zones and rejects others', () => {
    expect(isTimeZone('America/Sao_Paulo')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
