import type { Messages } from './i18n/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Unit = 'day' | 'hour' | 'minute';
const UNITS: readonly Unit[] = ['day', 'hour', 'minute'];
const units = new Map<string, Intl.NumberFormat>();
const lists = new Map<string, Intl.ListFormat>();

function unit(messages: Messages, name: Unit, value: number): string {
  const key = `${messages.locale}|${name}`;
  let format = units.get(key);
  if (!format) {
    format = new Intl.NumberFormat(messages.locale, { style: 'unit', unit: name, unitDisplay: 'long' });
    units.set(key, format);
  }
  return format.format(value);
}

/**
 * A duration in words, to the two largest units that are not zero: `3 days 4 hours`,
 * `3 dias e 4 horas`, `45 minutes`. Rounded down, so "3 days" is never shown for 2 days 23 hours.
 */
export function formatDuration(ms: number, messages: Messages): string {
  const total = Math.max(0, ms);
  if (total < MINUTE) return messages.lessThanAMinute;
  const values = [
    Math.floor(total / DAY),
    Math.floor((total % DAY) / HOUR),
    Math.floor((total % HOUR) / MINUTE),
  ];
  const first = values.findIndex((value) => value > 0);
  const shown: string[] = [];
  for (let i = first; i < first + 2 && i < UNITS.length; i++) {
    if (values[i]! > 0) shown.push(unit(messages, UNITS[i]!, values[i]!));
  }
  // A list of one is that item in every locale: skip Intl.ListFormat, which costs more than the rest.
  if (shown.length === 1) return shown[0]!;
  let list = lists.get(messages.locale);
  if (!list) {
    list = new Intl.ListFormat(messages.locale, { type: 'unit', style: messages.durationListStyle });
    lists.set(messages.locale, list);
  }
  return list.format(shown);
}

/**
 * A duration in its largest whole unit, for a subject line: `9 days`, `5 hours`, `1 minuto`,
 * rounded down, and "less than a minute" below a minute. Never "0 days": an alert inactive for
 * 5 hours says so. Plurals come from Intl (`1 dia`, `2 dias`), like the body's durations.
 */
export function formatLargestUnit(ms: number, messages: Messages): string {
  const total = Math.max(0, ms);
  if (total < MINUTE) return messages.lessThanAMinute;
  if (total < HOUR) return unit(messages, 'minute', Math.floor(total / MINUTE));
  if (total < DAY) return unit(messages, 'hour', Math.floor(total / HOUR));
  return unit(messages, 'day', Math.floor(total / DAY));
}
