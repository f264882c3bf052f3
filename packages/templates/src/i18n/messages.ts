import type { Locale, Severity } from '@pytake/notify-core';

/**
 * Every word the templates show, for one locale. Values that depend on data are functions so that
 * each language can place the data where its grammar wants it.
 */
export interface Messages {
  /** The BCP 47 tag handed to `Intl` (dates, numbers, plurals). */
  locale: Locale;
  /** How a duration's parts are joined: `3 days 4 hours` (en) or `3 dias e 4 horas` (pt-BR). */
  durationListStyle: Intl.ListFormatStyle;
  /** Shown for a duration under one minute. */
  lessThanAMinute: string;
  severity: Record<Severity, string>;
  /** `Level 2`, and `Admin` from level 3 up (core's `escalationTarget`). */
  level: (level: number) => string;
  subject: {
    /** `🚨 Alert: Disk full` */
    created: (title: string) => string;
    /** `⚠️ Alert Escalated to Level 2: Disk full` */
    escalated: (target: string, title: string) => string;
    /** `✅ Alert Resolved: Disk full` */
    resolved: (title: string) => string;
    /** `inactive` is the largest whole unit: `9 days`, `5 hours`. */
    stale: (title: string, inactive: string) => string;
  };
  /** The line above the title, in the email and in the Slack header. */
  kind: { created: string; escalated: string; resolved: string; stale: string };
  /** One sentence that says what happened, shown highlighted. */
  summary: {
    /** `A new high severity alert needs attention.` */
    created: (severity: string) => string;
    /** `Escalated from Level 1 to Level 2.` */
    escalated: (from: string, to: string) => string;
    /** `Resolved after being open for 2 hours.` */
    resolved: (duration: string) => string;
    /** `No activity for 9 days.` */
    stale: (duration: string) => string;
  };
  label: {
    description: string;
    severity: string;
    category: string;
    organization: string;
    createdAt: string;
    fromLevel: string;
    toLevel: string;
    reason: string;
    assignedTo: string;
    resolvedBy: string;
    resolvedAt: string;
    resolutionNotes: string;
    openFor: string;
    inactiveFor: string;
    lastActivity: string;
    currentOwner: string;
    escalatedAt: string;
  };
  action: { view: string; acknowledge: string; resolve: string; assign: string };
  /** The stale email's call to act. */
  staleCallToAction: string;
  /** Shown instead of the button when the alert has no link. */
  noLink: string;
  /** The line at the foot of every email, naming the brand and the organization. */
  footer: (brand: string, organization: string) => string;
  /** The line of a single alert's message when an earlier digest of its storm reported it. */
  firstReportedInDigest: string;
  /**
   * A storm's digest. Counts come as the number (for the plural) and as written for the locale
   * (`2,000` or `2.000`).
   */
  digest: {
    /** `37 alerts in Acme`: the header and the start of the subject. */
    heading: (count: number, written: string, organization: string) => string;
    /** `3 high`, one per severity present, most severe first. */
    severity: Record<Severity, (count: number, written: string) => string>;
    /** `30 new`, one per event kind present. */
    kind: { created: CountWord; escalated: CountWord; resolved: CountWord; stale: CountWord };
    /** `🚨 37 alerts in Acme: 3 high, 34 medium`; `severities` is empty for an empty digest. */
    subject: (heading: string, severities: string) => string;
    /** How long ago the alert was created, as of the end of the digest's interval. */
    age: (duration: string) => string;
    /** `…and 12 more`, after the alerts listed. */
    more: (count: number, written: string) => string;
    /** The link to the organization's alert list in the dashboard. */
    viewAll: string;
    /** The email table's column headings. */
    column: { alert: string; severity: string; event: string; age: string };
  };
}

/** Words for a count of digest events of one kind, from the count and the count as written: `30 new`. */
export type CountWord = (count: number, written: string) => string;
