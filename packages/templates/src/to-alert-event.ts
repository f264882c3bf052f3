import { type AlertEvent, type AlertEventInput, parseAlertEvent } from '@pytake/notify-core/model';

/**
 * Returns a validated event. An event whose dates are already `Date`s came out of `parseAlertEvent`
 * (the notifier validates every event before it renders), so it is used as is: parsing it again would
 * cost more than rendering a Slack message. Anything else (JSON from a props editor, a queue payload)
 * is parsed, so a malformed event is a ValidationError naming the field, not a TypeError deep inside.
 */
export function toAlertEvent(input: AlertEvent | AlertEventInput): AlertEvent {
  const candidate = input as Partial<AlertEvent> | null | undefined;
  if (
    candidate &&
    typeof candidate === 'object' &&
    candidate.occurredAt instanceof Date &&
    candidate.alert?.createdAt instanceof Date &&
    (candidate.type !== 'alert.stale' || candidate.lastActivityAt instanceof Date)
  ) {
    return candidate as AlertEvent;
  }
  return parseAlertEvent(input);
}
