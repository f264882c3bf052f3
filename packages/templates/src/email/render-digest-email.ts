import type { AlertDigest } from '@pytake/notify-core';
import type { AlertEmailOptions } from '../options.js';
import { compiledEmails } from './compiled-emails.generated.js';
import { digestEmailOf, digestPageShapeOf, digestRowShapeOf } from './digest-email-content.js';
import { fillCompiledHtml } from './fill-email-html.js';
import type { RenderedEmail } from './render-alert-email.js';
import { renderDigestText } from './render-digest-text.js';

/**
 * Renders a storm's digest as one email: a subject with the counts
 * (`🚨 37 alerts in Acme: 3 high, 34 medium`), the counts by severity and event kind, the 50 most severe alerts as rows (severity
 * badge, what happened, age, title linked to the alert), "…and N more" and a link to the alert list,
 * plus a plain-text part written from the same data. Compiled like the alert emails: each listed
 * row is its compiled row filled with the alert's values, and the rows go into the compiled page,
 * without React. The HTML stays under Gmail's clipping (about 102 KB) for any number of alerts.
 * @throws ConfigError for bad options.
 */
export async function renderDigestEmail(
  digest: AlertDigest,
  options: AlertEmailOptions = {},
): Promise<RenderedEmail> {
  const { view, content } = digestEmailOf(digest, options);
  const { rows: rowShapes, pages } = compiledEmails.digest;
  let rows = '';
  for (const item of content.items)
    rows += fillCompiledHtml(compiledEmails, rowShapes, digestRowShapeOf(item), item);
  const page = { ...content.page, rows };
  return {
    subject: view.subject,
    html: fillCompiledHtml(compiledEmails, pages, digestPageShapeOf(page), page),
    text: renderDigestText(view, content),
  };
}
