import type { AlertEvent, AlertEventInput, EmailContent } from '@pytake/notify-core';
import { buildAlertView } from '../alert-view.js';
import { type AlertEmailOptions, resolveOptions } from '../options.js';
import { toAlertEvent } from '../to-alert-event.js';
import { compiledEmails } from './compiled-emails.generated.js';
import { fillEmailHtml } from './fill-email-html.js';
import { renderAlertText } from './render-alert-text.js';

/** A rendered alert email: what core's email route hands to the email channel. */
export interface RenderedEmail extends EmailContent {
  subject: string;
  html: string;
  text: string;
}

/**
 * Renders an alert event as an email: subject, HTML and a plain-text part written from the same data.
 * The HTML is the React Email templates' (the `./react` components), compiled at build time: the
 * values are escaped into the holes of the event's shape, byte for byte what React would render,
 * without loading React.
 * @throws ValidationError for a malformed event, ConfigError for bad options.
 * @example
 * ```ts
 * import { renderAlertEmail } from '@pytake/notify-templates';
 *
 * const { subject, html, text } = await renderAlertEmail(event, { locale: 'pt-BR', timeZone: 'America/Sao_Paulo' });
 * ```
 */
export async function renderAlertEmail(
  event: AlertEvent | AlertEventInput,
  options: AlertEmailOptions = {},
): Promise<RenderedEmail> {
  const view = buildAlertView(toAlertEvent(event), resolveOptions(options));
  return { subject: view.subject, html: fillEmailHtml(view, compiledEmails), text: renderAlertText(view) };
}
