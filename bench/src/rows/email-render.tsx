import { renderAlertEmail } from '@pytake/notify-templates';
import { fixtureEntries } from '@pytake/notify-templates/fixtures';
import { AlertEmail, alertViewOf } from '@pytake/notify-templates/react';
import { render } from '@react-email/render';
import { atLeast, type Budget, interleave, median, ms, type Row } from '../harness.js';
import { alertText } from './alert-text.js';

const events = fixtureEntries.map((f) => f.event);

/** Raw: what a service on React Email writes: subject from the view, HTML by render(), the same text. */
async function rawEmail(event: (typeof events)[number]) {
  const view = alertViewOf({ event });
  const html = await render(<AlertEmail event={event} />);
  return { subject: view.subject, html, text: alertText(view) };
}

/** How many passes over the fixtures make one sample of at least `targetMs`, so fast sides are timed well. */
async function passesFor(pass: () => Promise<void>, targetMs: number, b: Budget): Promise<number> {
  const t0 = performance.now();
  await pass();
  const one = Math.max(performance.now() - t0, 0.001);
  return Math.min(1000, Math.max(1, Math.ceil(targetMs / one)), Math.max(1, Math.floor(b.left() / 20 / one)));
}

export const emailRenderRow: Row = {
  name: 'email',
  what: 'alert email (subject + HTML + text) over every fixture: renderAlertEmail vs React Email render() + the same hand-written text',
  ceilingMs: 15_000,
  async run(b) {
    // Same output first: the text must be equal; the HTML is equal once templates are compiled.
    let htmlEqual = 0;
    for (const event of events) {
      const [o, r] = [await renderAlertEmail(event), await rawEmail(event)];
      if (o.text !== r.text || o.subject !== r.subject)
        throw new Error(`email row: ours and raw differ in subject or text for ${event.alert.id}`);
      if (o.html === r.html) htmlEqual++;
    }
    const oursPass = async () => {
      for (const event of events) await renderAlertEmail(event);
    };
    const rawPass = async () => {
      for (const event of events) await rawEmail(event);
    };
    const oursRepeat = await passesFor(oursPass, 20, b);
    const s = await interleave(
      async () => {
        for (let i = 0; i < oursRepeat; i++) await oursPass();
      },
      rawPass,
      { warmup: 2, pairs: 12, minPairs: 3 },
      b,
    );
    const ours = median(s.ours) / oursRepeat / events.length;
    const raw = median(s.raw) / events.length;
    const ratio = raw / ours;
    return [
      {
        name: `email render, ${events.length} fixtures (per email)`,
        ours: ms(ours),
        raw: ms(raw),
        ratio,
        ratioOf: 'raw/ours (times faster)',
        ...atLeast(ratio, 100),
        note: `HTML byte-identical to React's on ${htmlEqual} of ${events.length} fixtures; subject and text equal on all`,
        data: { oursMs: ours, rawMs: raw, samples: s.ours.length, oursRepeat },
      },
    ];
  },
};
