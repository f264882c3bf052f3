import type { AlertEvent, AlertEventType, Severity } from '@pytake/notify-core';
import type { AlertActionKind } from '@pytake/notify-slack';
import { alertActions } from './alert-actions.js';
import { alertUrl } from './alert-url.js';
import { formatDateTime } from './format-date.js';
import { formatDuration, formatLargestUnit } from './format-duration.js';
import { type Messages, messagesFor } from './i18n/index.js';
import type { ResolvedOptions } from './options.js';
import { SEVERITY_COLORS, SEVERITY_EMOJI, SEVERITY_TEXT_COLORS } from './severity.js';

/** One labelled value, shown as a table row (email), a line (text) or a field (Slack). */
export interface DetailRow {
  label: string;
  value: string;
  /** Which fact this is, for layouts that show some rows elsewhere (Slack puts the levels in the summary). */
  key?: 'fromLevel' | 'toLevel';
}

/**
 * Everything a message says about one event, already localized and formatted, as plain
 * (unescaped) strings. The email, its plain-text part and the Slack message are all written from
 * this, so they always say the same thing; each one escapes for its own format.
 */
export interface AlertView {
  type: AlertEventType;
  alertId: string;
  messages: Messages;
  severity: Severity;
  severityLabel: string;
  severityColor: string;
  severityTextColor: string;
  severityEmoji: string;
  subject: string;
  /** `New alert`, `Alert escalated`, ... */
  kind: string;
  title: string;
  description: string | undefined;
  organization: string;
  /** The highlighted sentence: "Escalated from Level 1 to Admin." */
  summary: string;
  /** Rows specific to the event (reason, resolved by, inactive for, ...), shown first. */
  eventDetails: DetailRow[];
  /** Rows about the alert itself: severity, category, organization, created. */
  alertDetails: DetailRow[];
  /** The line saying an earlier storm digest reported the alert, when one did. */
  firstReportedInDigest: string | undefined;
  /** Longer free text shown under the details (resolution notes). */
  notes: DetailRow | undefined;
  callToAction: string | undefined;
  /** Safe http(s) link for "View Alert", if any. */
  url: string | undefined;
  createdAt: string;
  brand: ResolvedOptions['brand'];
  footer: string;
  /** The actions that apply, in order (from `alertActions`): every channel shows these and no others. */
  actions: AlertActionKind[];
}

// Subjects and Slack headers are one line; a title with newlines or tabs would break them.
// Most titles are one line already: testing is one scan, replacing writes a new string per space.
const notOneLine = /[^\S ]| {2}|^ | $/;
export const oneLine = (text: string) => (notOneLine.test(text) ? text.replace(/\s+/g, ' ').trim() : text);
const present = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** Builds the channel-neutral view of an event. */
export function buildAlertView(event: AlertEvent, options: ResolvedOptions): AlertView {
  const m = messagesFor(options.locale);
  const { alert } = event;
  const date = (d: Date) => formatDateTime(d, options.locale, options.timeZone);
  const title = oneLine(alert.title);
  const severityLabel = m.severity[alert.severity];
  const organization = alert.organizationName ?? options.organizationName ?? alert.organizationId;
  const createdAt = date(alert.createdAt);

  const eventDetails: DetailRow[] = [];
  let subject: string;
  let summary: string;
  let notes: DetailRow | undefined;
  let callToAction: string | undefined;
  switch (event.type) {
    case 'alert.created':
      subject = m.subject.created(title);
      summary = m.summary.created(severityLabel);
      break;
    case 'alert.escalated': {
      const from = m.level(event.fromLevel);
      const to = m.level(event.toLevel);
      subject = m.subject.escalated(to, title);
      summary = m.summary.escalated(from, to);
      eventDetails.push(
        { label: m.label.fromLevel, value: from, key: 'fromLevel' },
        { label: m.label.toLevel, value: to, key: 'toLevel' },
      );
      if (present(event.reason)) eventDetails.push({ label: m.label.reason, value: event.reason });
      if (present(event.assignedTo))
        eventDetails.push({ label: m.label.assignedTo, value: event.assignedTo });
      eventDetails.push({ label: m.label.escalatedAt, value: date(event.occurredAt) });
      break;
    }
    case 'alert.resolved': {
      const openFor = formatDuration(event.occurredAt.getTime() - alert.createdAt.getTime(), m);
      subject = m.subject.resolved(title);
      summary = m.summary.resolved(openFor);
      if (present(event.resolvedBy))
        eventDetails.push({ label: m.label.resolvedBy, value: event.resolvedBy });
      eventDetails.push(
        { label: m.label.openFor, value: openFor },
        { label: m.label.resolvedAt, value: date(event.occurredAt) },
      );
      if (present(event.resolutionNotes))
        notes = { label: m.label.resolutionNotes, value: event.resolutionNotes };
      break;
    }
    case 'alert.stale': {
      const inactiveMs = event.occurredAt.getTime() - event.lastActivityAt.getTime();
      const inactive = formatDuration(inactiveMs, m);
      subject = m.subject.stale(title, formatLargestUnit(inactiveMs, m));
      summary = m.summary.stale(inactive);
      eventDetails.push(
        { label: m.label.inactiveFor, value: inactive },
        { label: m.label.lastActivity, value: date(event.lastActivityAt) },
      );
      if (present(event.currentOwner))
        eventDetails.push({ label: m.label.currentOwner, value: event.currentOwner });
      callToAction = m.staleCallToAction;
      break;
    }
  }

  const url = alertUrl(alert, options.dashboardUrl);
  return {
    type: event.type,
    alertId: alert.id,
    messages: m,
    severity: alert.severity,
    severityLabel,
    severityColor: SEVERITY_COLORS[alert.severity],
    severityTextColor: SEVERITY_TEXT_COLORS[alert.severity],
    severityEmoji: SEVERITY_EMOJI[alert.severity],
    subject,
    kind: m.kind[event.type.slice('alert.'.length) as keyof Messages['kind']],
    title,
    description: present(alert.description) ? alert.description : undefined,
    organization,
    summary,
    eventDetails,
    alertDetails: [
      { label: m.label.severity, value: severityLabel },
      { label: m.label.category, value: alert.category },
      { label: m.label.organization, value: organization },
      { label: m.label.createdAt, value: createdAt },
    ],
    notes,
    firstReportedInDigest: options.firstReportedInDigest ? m.firstReportedInDigest : undefined,
    callToAction,
    url,
    createdAt,
    brand: options.brand,
    footer: m.footer(options.brand.name, organization),
    actions: alertActions({ status: alert.status, eventType: event.type, url }),
  };
}
