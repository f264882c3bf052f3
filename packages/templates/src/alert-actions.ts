import type { AlertEventType, AlertStatus } from '@pytake/notify-core';
import type { AlertActionKind } from '@pytake/notify-slack';

/** What `alertActions` decides the buttons from: the alert's status, the event and the alert's link. */
export interface AlertActionsInput {
  /** The alert's status (core's `AlertStatus`). */
  status: AlertStatus;
  /** The event the message is about, if any: an `alert.resolved` event means resolved, whatever `status` says. */
  eventType?: AlertEventType | undefined;
  /** The alert's link, if any: View needs one. */
  url?: string | undefined;
}

/**
 * The actions that apply to an alert, in the order they are shown: View (whenever there is a link),
 * then Acknowledge (only while nobody has), Resolve and Assign (only while the alert is not resolved).
 * The one place that decides which buttons an alert offers: the Slack message, the email and the
 * app's console all ask this, so a stale alert that is already acknowledged never offers Acknowledge
 * and a resolved alert offers nothing to assign, anywhere.
 */
export function alertActions({ status, eventType, url }: AlertActionsInput): AlertActionKind[] {
  const list: AlertActionKind[] = url ? ['view'] : [];
  // The event is newer than a status a service may not have updated yet: a resolution is final.
  const resolved = status === 'resolved' || eventType === 'alert.resolved';
  if (resolved) return list;
  if (status !== 'acknowledged') list.push('acknowledge');
  list.push('resolve', 'assign');
  return list;
}
