import type { AlertEventType } from '@pytake/notify-core';
import type { ReactElement } from 'react';
import type { AlertView } from '../alert-view.js';
import { AlertCreatedEmailView } from './alert-created-email.js';
import { AlertEscalatedEmailView } from './alert-escalated-email.js';
import { AlertResolvedEmailView } from './alert-resolved-email.js';
import { StaleAlertEmailView } from './stale-alert-email.js';

/** The template of each event type, as a component of the view: what the compiler renders with holes. */
export const alertEmailViews: Record<AlertEventType, (props: { view: AlertView }) => ReactElement> = {
  'alert.created': AlertCreatedEmailView,
  'alert.escalated': AlertEscalatedEmailView,
  'alert.resolved': AlertResolvedEmailView,
  'alert.stale': StaleAlertEmailView,
};

/** The email for a view that is already built, whatever its event type. */
export function AlertEmailView({ view }: { view: AlertView }) {
  const Template = alertEmailViews[view.type];
  return <Template view={view} />;
}
