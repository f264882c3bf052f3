import type { AlertEvent, AlertEventInput } from '@pytake/notify-core';
import { render } from '@react-email/render';
import type { RenderedEmail } from '../email/render-alert-email.js';
import { renderAlertText } from '../email/render-alert-text.js';
import type { AlertEmailOptions } from '../options.js';
import { AlertEmail } from '../react/alert-email.js';
import { alertViewOf } from '../react/alert-email-props.js';

/** The email as React renders it: the React Email templates through @react-email/render, as sent before compiling. */
export async function renderWithReact(
  event: AlertEvent | AlertEventInput,
  options: AlertEmailOptions = {},
): Promise<RenderedEmail> {
  const view = alertViewOf({ event, ...options });
  const html = await render(<AlertEmail event={event} {...options} />);
  return { subject: view.subject, html, text: renderAlertText(view) };
}
