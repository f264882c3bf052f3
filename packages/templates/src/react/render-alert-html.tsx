import type { AlertEvent } from '@pytake/notify-core';
import { render } from '@react-email/render';
import type { AlertEmailOptions } from '../options.js';
import { AlertEmail } from './alert-email.js';

/** Renders the email's HTML. Loaded on first use by `renderAlertEmail`, which is why it is its own file. */
export function renderAlertHtml(event: AlertEvent, options: AlertEmailOptions): Promise<string> {
  return render(<AlertEmail event={event} {...options} />);
}
