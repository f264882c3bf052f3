import type { AlertView, DetailRow } from '@pytake/notify-templates/react';

const rows = (list: readonly DetailRow[]) => list.map((row) => `${row.label}: ${row.value}`).join('\n');

/**
 * The plain-text part, hand-written from the view: a copy of the templates package's own
 * (internal) `renderAlertText`, so that the raw side of the email row writes the same text the same
 * way, and only the HTML differs between the sides. The row checks that both texts are equal.
 */
export function alertText(view: AlertView): string {
  const m = view.messages;
  const blocks: string[] = [`${view.kind} · ${view.severityLabel}\n${view.title}`, view.summary];
  if (view.eventDetails.length > 0) blocks.push(rows(view.eventDetails));
  if (view.description) blocks.push(`${m.label.description}:\n${view.description}`);
  if (view.notes) blocks.push(`${view.notes.label}:\n${view.notes.value}`);
  blocks.push(rows(view.alertDetails));
  if (view.callToAction) blocks.push(view.callToAction);
  blocks.push(view.url ? `${m.action.view}: ${view.url}` : m.noLink);
  blocks.push(`-- \n${view.brand.name}\n${view.footer}`);
  return `${blocks.join('\n\n')}\n`;
}
