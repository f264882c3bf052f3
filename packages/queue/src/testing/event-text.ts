import type { AlertEventType } from '@pytake/notify-core';

/**
 * The text the conversation tests render for an event, on every route (Slack text, email subject):
 * `alert.escalated alert-7 2026-01-01T00:01:10.000Z escalated`. The fake servers read back which
 * event of which alert a message tells of, and an edit shows the alert's status when it was rendered.
 */
export const eventText = (event: {
  type: AlertEventType;
  occurredAt: Date;
  alert: { id: string; status: string };
}) => `${event.type} ${event.alert.id} ${event.occurredAt.toISOString()} ${event.alert.status}`;

/** What a message says: the event (type, alert, time) and the alert's status. */
export interface EventOfText {
  type: AlertEventType;
  alertId: string;
  occurredAt: string;
  status: string;
  /** The event's identity within its alert: `type occurredAt`. */
  key: string;
}

/** Reads `eventText()` back; undefined for any other text. */
export function parseEventText(text: unknown): EventOfText | undefined {
  if (typeof text !== 'string') return undefined;
  const match = /^(alert\.(?:created|escalated|stale|resolved)) (\S+) (\S+) (\S+)$/.exec(text.trim());
  if (!match) return undefined;
  const [, type, alertId, occurredAt, status] = match as unknown as [
    string,
    AlertEventType,
    string,
    string,
    string,
  ];
  return { type, alertId, occurredAt, status, key: `${type} ${occurredAt}` };
}

// The contract's order of an alert's events: by occurredAt, ties broken created < escalated < stale < resolved.
const rank: Record<AlertEventType, number> = {
  'alert.created': 0,
  'alert.escalated': 1,
  'alert.stale': 2,
  'alert.resolved': 3,
};

/** Negative when `a` comes before `b` in its alert's conversation. */
export const compareEvents = (
  a: { type: AlertEventType; occurredAt: string | Date },
  b: { type: AlertEventType; occurredAt: string | Date },
) => new Date(a.occurredAt).getTime() - new Date(b.occurredAt).getTime() || rank[a.type] - rank[b.type];

/** The identity of an event within its alert, as `parseEventText()` gives it. */
export const eventKey = (event: { type: AlertEventType; occurredAt: string | Date }) =>
  `${event.type} ${new Date(event.occurredAt).toISOString()}`;

/**
 * True when the messages (in the order they arrived) tell of their events in event order, each
 * event counted where it first arrived: a message sent again later does not change the order.
 */
export function inEventOrder(messages: readonly { event?: EventOfText }[]): boolean {
  const seen = new Set<string>();
  const first = messages.flatMap((m) =>
    m.event && !seen.has(m.event.key) && seen.add(m.event.key) ? [m.event] : [],
  );
  return first.every((event, i) => i === 0 || compareEvents(first[i - 1]!, event) <= 0);
}
