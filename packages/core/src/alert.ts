import { z } from 'zod';

/** Most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
/** How urgent an alert is: `critical`, `high`, `medium` or `low`. */
export type Severity = (typeof SEVERITIES)[number];

/** Every status an alert can be in, in its usual order. */
export const ALERT_STATUSES = ['open', 'acknowledged', 'escalated', 'resolved'] as const;
/** Where an alert stands: `open`, `acknowledged`, `escalated` or `resolved`. */
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** True when `severity` is `min` or more severe (critical, then high, medium, low). */
export function atLeastSeverity(severity: Severity, min: Severity): boolean {
  return SEVERITIES.indexOf(severity) <= SEVERITIES.indexOf(min);
}

/** Accepts a Date or an ISO 8601 string and yields a valid Date. */
export const dateSchema = z
  .union([z.date(), z.iso.datetime({ offset: true }), z.iso.date()], {
    error: 'expected a Date or an ISO 8601 date-time such as 2026-01-31T14:30:00Z',
  })
  .pipe(z.coerce.date());

// Keep parsed-alert-event.ts in step with this schema: notify() trusts an event that passes its
// checks without asking zod (its property test compares the two).
/** The zod schema of an alert: what an event carries about the alert it concerns. */
export const alertSchema = z.object({
  id: z.string().min(1),
  organizationId: z.string().min(1),
  organizationName: z.string().optional(),
  title: z.string().min(1).max(255),
  description: z.string().optional(),
  severity: z.enum(SEVERITIES),
  /** What raised the alert, e.g. `system` or `template`. */
  category: z.string().min(1),
  status: z.enum(ALERT_STATUSES).default('open'),
  createdAt: dateSchema,
  acknowledgedAt: dateSchema.optional(),
  escalationLevel: z.number().int().min(1).max(3).default(1),
  /** Link to the alert in the dashboard. */
  url: z.url({ protocol: /^https?$/ }).optional(),
  metadata: z.record(z.string(), z.unknown()).default({}),
});

/** An alert after validation: defaults applied, dates as Date. */
export type Alert = z.output<typeof alertSchema>;
/** What callers may pass: dates as ISO strings, defaults optional. */
export type AlertInput = z.input<typeof alertSchema>;
