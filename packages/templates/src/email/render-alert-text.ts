import type { AlertView, DetailRow } from '../alert-view.js';

function rows(list: readonly DetailRow[]): string {
  let text = '';
  for (let i = 0; i < list.length; i++) {
    const row = list[i]!;
    text += i === 0 ? `${row.label}: ${row.value}` : `\n${row.label}: ${row.value}`;
  }
  return text;
}

/**
 * The plain-text part of the email, written for people who read it as text (and for spam filters
 * that compare both parts), not converted from the HTML: no layout tables, no image alt text.
 * Blocks are separated by one empty line; written by concatenation, with no list of blocks to join.
 */
export function renderAlertText(view: AlertView): string {
  const m = view.messages;
  let text = `${view.kind} · ${view.severityLabel}\n${view.title}\n\n`;
  if (view.firstReportedInDigest) text += `${view.firstReportedInDigest}\n\n`;
  text += view.summary;
  if (view.eventDetails.length > 0) text += `\n\n${rows(view.eventDetails)}`;
  if (view.description) text += `\n\n${m.label.description}:\n${view.description}`;
  if (view.notes) text += `\n\n${view.notes.label}:\n${view.notes.value}`;
  text += `\n\n${rows(view.alertDetails)}`;
  if (view.callToAction) text += `\n\n${view.callToAction}`;
  text += view.url ? `\n\n${m.action.view}: ${view.url}` : `\n\n${m.noLink}`;
  // "-- " (with the space) is the signature separator mail clients recognise and fold away.
  return `${text}\n\n-- \n${view.brand.name}\n${view.footer}\n`;
}
