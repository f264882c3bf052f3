import type { Locale } from '@pytake/notify-core';

// Building an Intl.DateTimeFormat costs far more than using one; a service renders many alerts for the
// same few locale/time-zone pairs, so the formatters are kept.
const formatters = new Map<string, Intl.DateTimeFormat>();

/**
 * A date and time as people read it in that locale and time zone, with the zone's abbreviation:
 * `Dec 14, 2025, 2:30 PM UTC`, `14 de dez. de 2025, 11:30 BRT`.
 */
export function formatDateTime(date: Date, locale: Locale, timeZone: string): string {
  const key = `${locale}|${timeZone}`;
  let format = formatters.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone,
      timeZoneName: 'short',
    });
    formatters.set(key, format);
  }
  return format.format(date);
}

const knownZones = new Set<string>();

/** True when `Intl` knows the IANA time zone. Known zones are remembered: the check runs per render. */
export function isTimeZone(timeZone: string): boolean {
  if (knownZones.has(timeZone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    knownZones.add(timeZone);
    return true;
  } catch {
    return false;
  }
}
