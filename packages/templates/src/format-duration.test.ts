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
