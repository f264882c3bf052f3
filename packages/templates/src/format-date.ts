import type { Locale } from '@pytake/notify-core';

interface DateFormat {
  format: Intl.DateTimeFormat;
  /** Recently formatted instants (epoch ms) and their text. */
  recent: Map<number, string>;
}

// Building an Intl.DateTimeFormat costs far more than using one; a service renders many alerts for the
// same few locale/time-zone pairs, so the formatters are kept.
// By locale, then time zone: no key string to build per date.
const formatters = new Map<string, Map<string, DateFormat>>();
/** Bounds `recent`: it is emptied when full, so memory stays flat whatever the traffic. */
const RECENT_MAX = 256;

/**
 * A date and time as people read it in that locale and time zone, with the zone's offset:
 * `Dec 14, 2025, 2:30 PM GMT+0`, `14 de dez. de 2025, 11:30 GMT-3`.
 */
export function formatDateTime(date: Date, locale: Locale, timeZone: string): string {
  let zones = formatters.get(locale);
  if (!zones) {
    zones = new Map();
    formatters.set(locale, zones);
  }
  let entry = zones.get(timeZone);
  if (!entry) {
    const format = new Intl.DateTimeFormat(locale, {
      year: 'numeric',
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZone,
      // One style in every locale and zone: the offset (`GMT-3`, `GMT+9`). `short` mixes styles:
      // `BRT` for São Paulo in pt-BR, `GMT-3` for it in en, `GMT+9` for Tokyo in both.
      timeZoneName: 'shortOffset',
    });
    entry = { format, recent: new Map() };
    zones.set(timeZone, entry);
  }
  // Even a kept formatter takes microseconds per date (the zone name most of all), and the same
  // instants come back again and again: one notify() shows an event's creation and occurrence times
  // in the email's HTML, its plain text and the Slack message, and an alert's later events repeat its
  // creation time. So the last few texts are kept too.
  const time = date.getTime();
  let text = entry.recent.get(time);
  if (text === undefined) {
    text = entry.format.format(date);
    if (entry.recent.size >= RECENT_MAX) entry.recent.clear();
    entry.recent.set(time, text);
  }
  return text;
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
