import type { AlertView } from '../alert-view.js';
import { AlertButton } from './alert-button.js';

/** Props of {@link AlertCallToAction}. */
export interface AlertCallToActionProps {
  view: AlertView;
}

/**
 * The email's buttons, from the same `alertActions` list as Slack's (through `view.actions`). An email
 * has no signed way to act on the alert, so of the actions that apply it shows the link: "View Alert"
 * whenever the alert has one, and a line saying there is none otherwise. Acknowledge, Resolve and
 * Assign are Slack buttons and console actions only.
 */
export function AlertCallToAction({ view }: AlertCallToActionProps) {
  const m = view.messages;
  const href = view.actions.includes('view') ? view.url : undefined;
  return <AlertButton href={href} label={m.action.view} fallback={m.noLink} color={view.brand.color} />;
}
