import type { AlertEvent, AlertEventInput } from '@pytake/notify-core';
import type { AlertEmailOptions } from '../options.js';
import { toAlertEvent } from '../to-alert-event.js';
import { AlertCreatedEmail } from './alert-created-email.js';
import { AlertEscalatedEmail } from './alert-escalated-email.js';
import { AlertResolvedEmail } from './alert-resolved-email.js';
import { StaleAlertEmail } from './stale-alert-email.js';

export interface AlertEmailComponentProps extends AlertEmailOptions {
  event: AlertEvent | AlertEventInput;
}

/** Picks the template for the event's type: one component for any event. */
export function AlertEmail({ event, ...options }: AlertEmailComponentProps) {
  const parsed = toAlertEvent(event);
  switch (parsed.type) {
    case 'alert.created':
      return <AlertCreatedEmail event={parsed} {...options} />;
    case 'alert.escalated':
      return <AlertEscalatedEmail event={parsed} {...options} />;
    case 'alert.resolved':
      return <AlertResolvedEmail event={parsed} {...options} />;
    case 'alert.stale':
      return <StaleAlertEmail event={parsed} {...options} />;
  }
}
