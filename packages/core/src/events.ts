import { z } from 'zod';
import { alertSchema, dateSchema } from './alert.js';
import { ValidationError } from './errors.js';
import { formatZodIssues, show } from './zod-issues.js';

const base = { alert: alertSchema, occurredAt: dateSchema };
const level = z.number().int().min(1);

/** Every type of alert event. */
export const ALERT_EVENT_TYPES = [
  'alert.created',
  'alert.escalated',
  'alert.resolved',
  'alert.stale',
] as const;
/** The type of an alert event: `alert.created`, `alert.escalated`, `alert.resolved` or `alert.stale`. */
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

/**
 * How far apart the clocks of the systems that stamp an alert and its events may be: an event may
 * say it happened up to this long before the alert was created (or a stale event's last activity
 * after the event) before it is refused as nonsense.
 */
export const CLOCK_SKEW_MS = 60_000;

type Stamps = { occurredAt?: unknown; lastActivityAt?: unknown; alert?: { createdAt?: unknown } };
const time = (value: unknown) => (value instanceof Date ? value.getTime() : Number.NaN);

/**
 * The dates of an event that contradict each other (a resolution 5 years before the alert was
 * created would render as "open for less than a minute"), as issues naming the field. Shared with
 * the fast path in parsed-alert-event.ts, so that both refuse the same events.
 */
export function dateIssues(event: Stamps): { path: string[]; message: string; input: Date }[] {
  const issues: { path: string[]; message: string; input: Date }[] = [];
  const created = time(event.alert?.createdAt);
  const occurred = time(event.occurredAt);
  const iso = (ms: number) => new Date(ms).toISOString();
  if (occurred < created - CLOCK_SKEW_MS) {
    issues.push({
      path: ['occurredAt'],
      message: `expected no earlier than alert.createdAt (${iso(created)}) less 1 minute of clock skew`,
      input: event.occurredAt as Date,
    });
  }
  if ('lastActivityAt' in event) {
    const last = time(event.lastActivityAt);
    if (last < created - CLOCK_SKEW_MS) {
      issues.push({
        path: ['lastActivityAt'],
        message: `expected no earlier than alert.createdAt (${iso(created)}) less 1 minute of clock skew`,
        input: event.lastActivityAt as Date,
      });
    }
    if (last > occurred + CLOCK_SKEW_MS) {
      issues.push({
        path: ['lastActivityAt'],
        message: `expected no later than occurredAt (${iso(occurred)}) plus 1 minute of clock skew`,
        input: event.lastActivityAt as Date,
      });
    }
  }
  return issues;
}

// Keep parsed-alert-event.ts in step with these events (see alert.ts).
/** The zod schema of an alert event, by its `type`; `parseAlertEvent` parses with it. */
export const alertEventSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('alert.created'), ...base }),
    z.object({
      type: z.literal('alert.escalated'),
      ...base,
      fromLevel: level,
      toLevel: level,
      reason: z.string().optional(),
      assignedTo: z.string().optional(),
    }),
    z.object({
      type: z.literal('alert.resolved'),
      ...base,
      resolvedBy: z.string().optional(),
      resolutionNotes: z.string().optional(),
    }),
    z.object({
      type: z.literal('alert.stale'),
      ...base,
      lastActivityAt: dateSchema,
      currentOwner: z.string().optional(),
    }),
  ])
  .superRefine((event, ctx) => {
    // Runs on a value whose other fields may be invalid: dateIssues() only compares valid Dates.
    for (const issue of dateIssues(event as Stamps)) ctx.addIssue({ code: 'custom', ...issue });
  });

/** A validated event: what happened to an alert, and when. Discriminated on `type`. */
export type AlertEvent = z.output<typeof alertEventSchema>;
/** What callers may pass to `notify()` or `parseAlertEvent()`. */
export type AlertEventInput = z.input<typeof alertEventSchema>;
/** An `alert.created` event: a new alert was raised. */
export type AlertCreatedEvent = Extract<AlertEvent, { type: 'alert.created' }>;
/** An `alert.escalated` event: an alert went up a level. */
export type AlertEscalatedEvent = Extract<AlertEvent, { type: 'alert.escalated' }>;
/** An `alert.resolved` event: an alert was resolved. */
export type AlertResolvedEvent = Extract<AlertEvent, { type: 'alert.resolved' }>;
/** An `alert.stale` event: an open alert has seen no activity for a while. */
export type AlertStaleEvent = Extract<AlertEvent, { type: 'alert.stale' }>;

/**
 * Validates anything into an AlertEvent.
 * @throws ValidationError listing every bad field by path, e.g.
 *   `alert.severity: expected one of critical, high, medium, low, got "urgent"`.
 */
export function parseAlertEvent(input: unknown): AlertEvent {
  const result = alertEventSchema.safeParse(input, { reportInput: true });
  if (!result.success) {
    if (
      typeof input === 'object' &&
      input !== null &&
      !ALERT_EVENT_TYPES.includes((input as { type: never }).type)
    ) {
      const got = (input as { type?: unknown }).type;
      throw new ValidationError('Invalid alert event', [
        {
          path: 'type',
          // show(), not JSON.stringify: a BigInt or a cycle would throw a TypeError here.
          message: `expected one of ${ALERT_EVENT_TYPES.join(', ')}, got ${show(got)}`,
        },
      ]);
    }
    throw new ValidationError('Invalid alert event', formatZodIssues(result.error), { cause: result.error });
  }
  return result.data;
}

/** How long the alert was open: from `createdAt` to the resolution, in milliseconds. */
export function resolutionDuration(event: AlertResolvedEvent): number {
  return Math.max(0, event.occurredAt.getTime() - event.alert.createdAt.getTime());
}

/** How long the alert has had no activity when the stale event fired, in milliseconds. */
export function inactiveFor(event: AlertStaleEvent): number {
  return Math.max(0, event.occurredAt.getTime() - event.lastActivityAt.getTime());
}

/** Who an escalation goes to: `Level 1`, `Level 2`, and `Admin` from level 3 up. */
export type EscalationTarget = 'Admin' | `Level ${number}`;
/** Who an escalation to level `toLevel` goes to: `Level 1`, `Level 2`, and `Admin` from level 3 up. */
export function escalationTarget(toLevel: number): EscalationTarget {
  return toLevel >= 3 ? 'Admin' : `Level ${toLevel}`;
}
