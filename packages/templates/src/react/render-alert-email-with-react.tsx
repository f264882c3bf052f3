import type { AlertEvent, AlertEventInput } from '@pytake/notify-core';
import { render } from '@react-email/render';
import type { RenderedEmail } from '../email/render-alert-email.js';
import { renderAlertText } from '../email/render-alert-text.js';
import type { AlertEmailOptions } from '../options.js';
import { AlertEmail } from './alert-email.js';
import { alertViewOf } from './alert-email-props.js';

/**
 * `renderAlertEmail`, rendered by React: the React Email templates through `@react-email/render`, as
 * the compiled templates were made from. Byte for byte the same email (the identity test proves it),
 * at React's cost; for previews of templates being edited, before they are compiled again.
 */
export async function renderAlertEmailWithReact(
  event: AlertEvent | AlertEventInput,
  options: AlertEmailOptions = {},
): Promise<RenderedEmail> {
  const view = alertViewOf({ event, ...options });
  const html = await render(<AlertEmail event={event} {...options} />);
  return { subject: view.subject, html, text: renderAlertText(view) };
}
