import { renderAlertEmail } from '@pytake/notify-templates';
import { fixtureEntries } from '@pytake/notify-templates/fixtures';
import { AlertEmail } from '@pytake/notify-templates/react';
import { render } from '@react-email/render';
import { compareTime, type Row } from '../harness.js';

/**
 * Ours: `renderAlertEmail` (HTML through React Email plus the hand-written plain-text part).
 * Raw: `@react-email/render` on the same component, once for HTML and once with `plainText`, which is
 * what a service using React Email directly does to get both parts.
 */
export async function emailRenderRow(): Promise<Row> {
  const events = fixtureEntries.map((f) => f.event);
  const ours = async () => {
    for (const event of events) await renderAlertEmail(event);
  };
  const raw = async () => {
    for (const event of events) {
      const element = <AlertEmail event={event} />;
      await render(element);
      await render(element, { plainText: true });
    }
  };
  const row = await compareTime(`email render, ${events.length} fixtures`, ours, raw, {
    warmup: 3,
    iterations: 30,
    unitsPerIteration: events.length,
    maxRatio: 1.1,
  });
  return row;
}
