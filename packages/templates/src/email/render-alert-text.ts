import type { AlertView, DetailRow } from '../alert-view.js';

const rows = (list: readonly DetailRow[]) => list.map((row) => `${row.label}: ${row.value}`).join('\n');

/**
 * The plain-text part of the email, written for people who read it as text (and for spam filters
 * that compare both parts), not converted from the HTML: no layout tables, no image alt text.
 */
export function renderAlertText(view: AlertView): string {
  const m = view.messages;
  const blocks: string[] = [`${view.kind} · ${view.severityLabel}\n${view.title}`, view.summary];
  if (view.eventDetails.length > 0) blocks.push(rows(view.eventDetails));
  if (view.description) blocks.push(`${m.label.description}:\n${view.description}`);
  if (view.notes) blocks.push(`${view.notes.label}:\n${view.notes.value}`);
  blocks.push(rows(view.alertDetails));
  if (view.callToAction) blocks.push(view.callToAction);
  blocks.push(view.url ? `${m.action.view}: ${view.url}` : m.noLink);
  // "-- " (with the space) is the signature separator mail clients recognise and fold away.
  blocks.push(`-- \n${view.brand.name}\n${view.footer}`);
  return `${blocks.join('\n\n')}\n`;
}
