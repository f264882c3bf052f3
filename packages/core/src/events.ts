import { z } from 'zod';
import { alertSchema, dateSchema } from './alert.js';
import { ValidationError } from './errors.js';
import { formatZodIssues } from './zod-issues.js';

const base = { alert: alertSchema, occurredAt: dateSchema };
const level = z.number().int().min(1);

export const ALERT_EVENT_TYPES = [
  'alert.created',
  'alert.escalated',
  'alert.resolved',
  'alert.stale',
] as const;
export type AlertEventType = (typeof ALERT_EVENT_TYPES)[number];

// Keep parsed-alert-event.ts in step with these events (see alert.ts).
export const alertEventSchema = z.discriminatedUnion('type', [
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
]);

/** A validated event: what happened to an alert, and when. Discriminated on `type`. */
export type AlertEvent = z.output<typeof alertEventSchema>;
/** What callers may pass to `notify()` or `parseAlertEvent()`. */
export type AlertEventInput = z.input<typeof alertEventSchema>;
export type AlertCreatedEvent = Extract<AlertEvent, { type: 'alert.created' }>;
export type AlertEscalatedEvent = Extract<AlertEvent, { type: 'alert.escalated' }>;
export type AlertResolvedEvent = Extract<AlertEvent, { type: 'alert.resolved' }>;
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
          message: `expected one of ${ALERT_EVENT_TYPES.join(', ')}, got ${JSON.stringify(got) ?? 'nothing'}`,
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
export function escalationTarget(toLevel: number): EscalationTarget {
  return toLevel >= 3 ? 'Admin' : `Level ${toLevel}`;
}
