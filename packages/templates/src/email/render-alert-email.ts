import type { AlertEvent, AlertEventInput, EmailContent } from '@pytake/notify-core';
import { buildAlertView } from '../alert-view.js';
import { type AlertEmailOptions, resolveOptions } from '../options.js';
import { toAlertEvent } from '../to-alert-event.js';
import { renderAlertText } from './render-alert-text.js';

/** A rendered alert email: what core's email route hands to the email channel. */
export interface RenderedEmail extends EmailContent {
  subject: string;
  html: string;
  text: string;
}

// React, React Email and react-dom/server take hundreds of milliseconds to load. They are loaded on
// the first email, so that a service (or a benchmark) that only renders Slack messages never pays.
let htmlRenderer: Promise<typeof import('../react/render-alert-html.js')> | undefined;

/**
 * Renders an alert event as an email: subject, HTML (React Email) and a plain-text part written
 * from the same data.
 * @throws ValidationError for a malformed event, ConfigError for bad options.
 */
export async function renderAlertEmail(
  event: AlertEvent | AlertEventInput,
  options: AlertEmailOptions = {},
): Promise<RenderedEmail> {
  const parsed = toAlertEvent(event);
  const view = buildAlertView(parsed, resolveOptions(options));
  htmlRenderer ??= import('../react/render-alert-html.js');
  const html = await (await htmlRenderer).renderAlertHtml(parsed, options);
  return { subject: view.subject, html, text: renderAlertText(view) };
}
