import type { AlertDigest, AlertEventType, Severity } from '@pytake/notify-core';
import { SEVERITIES } from '@pytake/notify-core/model';
import { alertUrl } from './alert-url.js';
import { oneLine } from './alert-view.js';
import { formatDuration } from './format-duration.js';
import { type Messages, messagesFor } from './i18n/index.js';
import type { ResolvedOptions } from './options.js';
import { SEVERITY_COLORS, SEVERITY_EMOJI } from './severity.js';

type Kind = keyof Messages['digest']['kind'];

/** One alert of a digest, as every channel lists it: plain (unescaped) strings. */
export interface DigestItem {
  alertId: string;
  type: AlertEventType;
  title: string;
  severity: Severity;
  severityLabel: string;
  severityEmoji: string;
  /** What its latest event was: `New alert`, `Alert resolved`, ... */
  kind: string;
  /** `5 minutes ago`, as of the end of the digest's interval. */
  age: string;
  url: string | undefined;
}

/**
 * Everything a digest message says, localized and formatted, as plain strings: the Slack message,
 * the email and its plain-text part are written from this, so they list the same alerts in the same
 * order with the same counts. Each channel decides how many of `items` fit and says the rest with
 * `more`.
 */
export interface DigestView {
  messages: Messages;
  organization: string;
  total: number;
  /** `37 alerts in Acme`. */
  heading: string;
  /** `3 high, 34 medium`: each severity present, most severe first. */
  severities: string;
  /** `30 new, 3 resolved, 1 escalated`: each kind of event present, the most frequent first. */
  kinds: string;
  subject: string;
  /** The color of the most severe alert: the Slack bar and the email's accent. */
  severityColor: string;
  /** Every alert, most severe first; within a severity, the latest event first. */
  items: DigestItem[];
  /** The organization's alert list in the dashboard. */
  listUrl: string | undefined;
  brand: ResolvedOptions['brand'];
  footer: string;
}

const kindOf = (type: AlertEventType) => type.slice('alert.'.length) as Kind;
// Ties in count are shown in the order an operator reads a storm: what is new, then what got worse.
const KIND_ORDER: readonly Kind[] = ['created', 'escalated', 'stale', 'resolved'];

const numberFormats = new Map<string, Intl.NumberFormat>();
/** `2,000` (en) or `2.000` (pt-BR). */
export function formatCount(count: number, messages: Messages): string {
  let format = numberFormats.get(messages.locale);
  if (!format) {
    format = new Intl.NumberFormat(messages.locale);
    numberFormats.set(messages.locale, format);
  }
  return format.format(count);
}

/** The text of "…and N more" for `hidden` alerts not listed. */
export function moreText(view: DigestView, hidden: number): string {
  return view.messages.digest.more(hidden, formatCount(hidden, view.messages));
}

/** Builds the channel-neutral view of a digest. */
export function buildDigestView(digest: AlertDigest, options: ResolvedOptions): DigestView {
  const m = messagesFor(options.locale);
  const d = m.digest;
  const count = (n: number) => formatCount(n, m);
  const endedAt = digest.endedAt.getTime();

  const bySeverity: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  const byKind: Record<Kind, number> = { created: 0, escalated: 0, resolved: 0, stale: 0 };
  const ranked = digest.events.map((event, index) => {
    bySeverity[event.alert.severity]++;
    byKind[kindOf(event.type)]++;
    return { event, index, rank: SEVERITIES.indexOf(event.alert.severity) };
  });
  ranked.sort(
    (a, b) =>
      a.rank - b.rank || b.event.occurredAt.getTime() - a.event.occurredAt.getTime() || a.index - b.index,
  );
  const items = ranked.map(({ event }): DigestItem => {
    const { alert } = event;
    return {
      alertId: alert.id,
      type: event.type,
      title: oneLine(alert.title),
      severity: alert.severity,
      severityLabel: m.severity[alert.severity],
      severityEmoji: SEVERITY_EMOJI[alert.severity],
      kind: m.kind[kindOf(event.type)],
      age: d.age(formatDuration(endedAt - alert.createdAt.getTime(), m)),
      url: alertUrl(alert, options.dashboardUrl),
    };
  });

  // The tenant's name, else the one core's events carry, else the id.
  const organization =
    options.organizationName ?? digest.events[0]?.alert.organizationName ?? digest.organizationId;
  const total = digest.events.length;
  const heading = d.heading(total, count(total), organization);
  const severities = SEVERITIES.filter((s) => bySeverity[s] > 0)
    .map((s) => d.severity[s](bySeverity[s], count(bySeverity[s])))
    .join(', ');
  const kinds = KIND_ORDER.filter((k) => byKind[k] > 0)
    .sort((a, b) => byKind[b] - byKind[a])
    .map((k) => d.kind[k](byKind[k], count(byKind[k])))
    .join(', ');
  const top = items[0]?.severity ?? 'low';
  return {
    messages: m,
    organization,
    total,
    heading,
    severities,
    kinds,
    subject: d.subject(heading, severities),
    severityColor: SEVERITY_COLORS[top],
    items,
    listUrl: options.dashboardUrl,
    brand: options.brand,
    footer: m.footer(options.brand.name, organization),
  };
}
