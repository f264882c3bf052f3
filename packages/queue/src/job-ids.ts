import { type AlertEvent, deliveryKey, type PlannedTarget, type RouteKind } from '@pytake/notify-core';
import { hashKey } from './hash-key.js';

/** BullMQ queue names: one for events, one per route kind, so that a slow SMTP server cannot starve Slack. */
export const queueNames = {
  events: 'events',
  email: 'deliveries-email',
  slack: 'deliveries-slack',
  slackApi: 'deliveries-slack-api',
  /** Edits of Web API messages already posted (an alert's state changed). */
  messageUpdates: 'message-updates',
} as const satisfies Record<'events' | 'messageUpdates' | RouteKind, string>;

/**
 * The job id of an event: the same for the same organization, alert, event type and time, from any
 * process. A digest, so it follows BullMQ's rules (no `:`, not all digits) and carries no data.
 */
export function eventJobId(event: AlertEvent): string {
  const { alert } = event;
  return `evt-${hashKey(JSON.stringify([alert.organizationId, alert.id, event.type, event.occurredAt.toISOString()]))}`;
}

/** The job id of one delivery: a digest of core's `deliveryKey`, so one job per notification. */
export function deliveryJobId(event: AlertEvent, target: Pick<PlannedTarget, 'route' | 'targetId'>): string {
  return `dlv-${hashKey(deliveryKey(event, target))}`;
}
