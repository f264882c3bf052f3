import type { Messages } from './i18n/index.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Unit = 'day' | 'hour' | 'minute';
const UNITS: readonly Unit[] = ['day', 'hour', 'minute'];

/** The formatters of one locale, and what they already wrote. */
interface DurationFormats {
  units: Record<Unit, Intl.NumberFormat>;
  /** `1 day`, `2 days`, ... by value, for the small whole numbers durations are made of. */
  written: Record<Unit, string[]>;
  list: Intl.ListFormat | undefined;
  /** The two-part list as `before` + first + `between` + second + `after`, when Intl joins that way. */
  pair: { before: string; between: string; after: string } | undefined | null;
}

const byLocale = new Map<string, DurationFormats>();
/** Values below this are kept once written: minutes and hours always are, days up to about 3 years. */
const WRITTEN_MAX = 1024;

function formatsFor(messages: Messages): DurationFormats {
  let formats = byLocale.get(messages.locale);
  if (!formats) {
    const make = (unit: Unit) =>
      new Intl.NumberFormat(messages.locale, { style: 'unit', unit, unitDisplay: 'long' });
    formats = {
      units: { day: make('day'), hour: make('hour'), minute: make('minute') },
      written: { day: [], hour: [], minute: [] },
      list: undefined,
      pair: undefined,
    };
    byLocale.set(messages.locale, formats);
  }
  return formats;
}

function unit(formats: DurationFormats, name: Unit, value: number): string {
  // Formatting a number with units costs microseconds, and the values are few small integers (a
  // minute count is below 60): each is formatted once and kept.
  if (value >= WRITTEN_MAX) return formats.units[name].format(value);
  const written = formats.written[name];
  let text = written[value];
  if (text === undefined) {
    text = formats.units[name].format(value);
    written[value] = text;
  }
  return text;
}

// Placeholders no formatted number contains, to read how Intl joins two items.
const FIRST = '\u0001';
const SECOND = '\u0002';

/** Two parts joined as Intl.ListFormat joins them (`3 days 4 hours`, `3 dias e 4 horas`). */
function pair(formats: DurationFormats, messages: Messages, a: string, b: string): string {
  if (!formats.list) {
    formats.list = new Intl.ListFormat(messages.locale, { type: 'unit', style: messages.durationListStyle });
  }
  if (formats.pair === undefined) {
    // A list pattern is text around the items (CLDR's `{0} e {1}`): read once, it joins by
    // concatenation. A locale whose join depends on the items (Spanish `y` becomes `e` before an
    // `i` sound) would not give the same text for real items, so it keeps asking Intl.
    const pattern = formats.list.format([FIRST, SECOND]);
    const i = pattern.indexOf(FIRST);
    const j = pattern.indexOf(SECOND);
    const found =
      i !== -1 && j > i
        ? { before: pattern.slice(0, i), between: pattern.slice(i + 1, j), after: pattern.slice(j + 1) }
        : null;
    const sample = ['1 day', '2 hours'];
    formats.pair =
      found &&
      formats.list.format(sample) === `${found.before}${sample[0]}${found.between}${sample[1]}${found.after}`
        ? found
        : null;
  }
  const p = formats.pair;
  return p ? p.before + a + p.between + b + p.after : formats.list.format([a, b]);
}

/**
 * A duration in words, to the two largest units that are not zero: `3 days 4 hours`,
 * `3 dias e 4 horas`, `45 minutes`. Rounded down, so "3 days" is never shown for 2 days 23 hours.
 */
export function formatDuration(ms: number, messages: Messages): string {
  const total = Math.max(0, ms);
  if (total < MINUTE) return messages.lessThanAMinute;
  const formats = formatsFor(messages);
  const values = [
    Math.floor(total / DAY),
    Math.floor((total % DAY) / HOUR),
    Math.floor((total % HOUR) / MINUTE),
  ];
  let first = 0;
  while (first < UNITS.length && !(values[first]! > 0)) first++;
  // No unit above zero only for a NaN duration: an empty list, as Intl.ListFormat writes it.
  if (first === UNITS.length) return '';
  const one = unit(formats, UNITS[first]!, values[first]!);
  const next = first + 1;
  // A list of one is that item in every locale: no list to join.
  if (next >= UNITS.length || !(values[next]! > 0)) return one;
  return pair(formats, messages, one, unit(formats, UNITS[next]!, values[next]!));
}

/**
 * A duration in its largest whole unit, for a subject line: `9 days`, `5 hours`, `1 minuto`,
 * rounded down, and "less than a minute" below a minute. Never "0 days": an alert inactive for
 * 5 hours says so. Plurals come from Intl (`1 dia`, `2 dias`), like the body's durations.
 */
export function formatLargestUnit(ms: number, messages: Messages): string {
  const total = Math.max(0, ms);
  if (total < MINUTE) return messages.lessThanAMinute;
  const formats = formatsFor(messages);
  if (total < HOUR) return unit(formats, 'minute', Math.floor(total / MINUTE));
  if (total < DAY) return unit(formats, 'hour', Math.floor(total / HOUR));
  return unit(formats, 'day', Math.floor(total / DAY));
}
