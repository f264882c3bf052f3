import { describe, expect, it } from 'vitest';
import { formatDuration, formatLargestUnit } from './format-duration.js';
import { messagesFor } from './i18n/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const en = messagesFor('en');
const pt = messagesFor('pt-BR');

describe('formatDuration', () => {
  it('shows the two largest units, rounded down', () => {
    expect(formatDuration(3 * DAY + 4 * HOUR + 59 * MIN, en)).toBe('3 days 4 hours');
    expect(formatDuration(3 * DAY + 4 * HOUR, pt)).toBe('3 dias e 4 horas');
    expect(formatDuration(2 * HOUR + 15 * MIN, en)).toBe('2 hours 15 minutes');
    expect(formatDuration(DAY + 30 * MIN, en)).toBe('1 day');
    expect(formatDuration(DAY + HOUR, pt)).toBe('1 dia e 1 hora');
    expect(formatDuration(45 * MIN, pt)).toBe('45 minutos');
  });

  it('says "less than a minute" for short or negative durations', () => {
    expect(formatDuration(59_999, en)).toBe('less than a minute');
    expect(formatDuration(-5 * DAY, pt)).toBe('menos de um minuto');
  });
});

describe('formatLargestUnit', () => {
  it('counts whole days with the right plural', () => {
    expect(formatLargestUnit(9 * DAY + 23 * HOUR, en)).toBe('9 days');
    expect(formatLargestUnit(DAY, en)).toBe('1 day');
    expect(formatLargestUnit(DAY, pt)).toBe('1 dia');
  });

  it('uses hours below a day and minutes below an hour, never "0 days"', () => {
    expect(formatLargestUnit(5 * HOUR + 59 * MIN, en)).toBe('5 hours');
    expect(formatLargestUnit(5 * HOUR, pt)).toBe('5 horas');
    expect(formatLargestUnit(HOUR, pt)).toBe('1 hora');
    expect(formatLargestUnit(MIN, en)).toBe('1 minute');
    expect(formatLargestUnit(2 * MIN, pt)).toBe('2 minutos');
    expect(formatLargestUnit(30_000, pt)).toBe('menos de um minuto');
  });
});

describe('formatDuration and Intl', () => {
  it('writes what Intl.NumberFormat and Intl.ListFormat write, for every locale (kept texts included)', () => {
    for (const m of [en, pt]) {
      const number = (unit: string, value: number) =>
        new Intl.NumberFormat(m.locale, { style: 'unit', unit, unitDisplay: 'long' }).format(value);
      const list = new Intl.ListFormat(m.locale, { type: 'unit', style: m.durationListStyle });
      // Twice: the second pass reads the texts the first one kept.
      for (let pass = 0; pass < 2; pass++) {
        for (const [d, h, min] of [
          [0, 0, 1],
          [0, 1, 0],
          [0, 1, 1],
          [0, 23, 59],
          [1, 0, 0],
          [1, 1, 0],
          [2, 23, 0],
          [21, 2, 0],
          [400, 0, 5],
          [1500, 3, 0],
          [100_000, 7, 0],
        ] as const) {
          const parts = [
            ...(d > 0 ? [number('day', d)] : []),
            ...(h > 0 ? [number('hour', h)] : []),
            ...(min > 0 ? [number('minute', min)] : []),
          ].slice(0, d > 0 ? (h > 0 ? 2 : 1) : 2);
          expect(formatDuration(d * DAY + h * HOUR + min * MIN, m)).toBe(list.format(parts));
        }
      }
    }
  });
});
