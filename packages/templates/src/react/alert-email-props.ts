import type { AlertEvent, AlertEventInput } from '@pytake/notify-core';
import { type AlertView, buildAlertView } from '../alert-view.js';
import { type AlertEmailOptions, resolveOptions } from '../options.js';
import { toAlertEvent } from '../to-alert-event.js';

/** What every alert email component takes: the event, plus the same options as `renderAlertEmail`. */
export interface AlertEmailProps<E extends AlertEvent = AlertEvent> extends AlertEmailOptions {
  /** A validated event, or its JSON form (validated here). */
  event: E | AlertEventInput;
}

/** Validates the props and builds the view the components render. */
export function alertViewOf({ event, ...options }: AlertEmailProps): AlertView {
  return buildAlertView(toAlertEvent(event), resolveOptions(options));
}
