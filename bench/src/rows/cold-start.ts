import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Row, stats } from '../harness.js';

// Each snippet runs in a fresh `node` process: import the entry, make the first call, print the ms.
const fixtureEvent = `{ type: 'alert.created', occurredAt: '2025-12-14T14:30:00Z', alert: { id: 'a1', organizationId: 'o1', title: 'Disk full', severity: 'critical', category: 'system', createdAt: '2025-12-14T14:30:00Z' } }`;

const pairs: { name: string; ours: string; raw: string }[] = [
  {
    name: 'core: parse an event',
    ours: `const { parseAlertEvent } = await import('@pytake/notify-core'); parseAlertEvent(${fixtureEvent});`,
    raw: `const { z } = await import('zod'); z.object({ type: z.literal('alert.created'), occurredAt: z.coerce.date(), alert: z.object({ id: z.string(), organizationId: z.string(), title: z.string().max(255), severity: z.enum(['critical','high','medium','low']), category: z.string(), createdAt: z.coerce.date() }) }).parse(${fixtureEvent});`,
  },
  {
    name: 'email: create a channel',
    ours: `const { createEmailChannel } = await import('@pytake/notify-email'); createEmailChannel({ host: '127.0.0.1' }).close();`,
    raw: `const { createTransport } = await import('nodemailer'); createTransport({ pool: true, host: '127.0.0.1' }).close();`,
  },
  {
    name: 'slack: create a webhook channel',
    ours: `const { createSlackWebhookChannel, slackMessage } = await import('@pytake/notify-slack'); createSlackWebhookChannel({}); slackMessage({ text: 'hi', blocks: [] });`,
    raw: `const { IncomingWebhook } = await import('@slack/webhook'); new IncomingWebhook('https://hooks.slack.com/services/T/B/x');`,
  },
  {
    name: 'templates: first alert email',
    ours: `const { renderAlertEmail } = await import('@pytake/notify-templates'); await renderAlertEmail(${fixtureEvent});`,
    raw: `const { render } = await import('@react-email/render'); const { createElement } = await import('react'); const { AlertEmail } = await import('@pytake/notify-templates/react'); const { parseAlertEvent } = await import('@pytake/notify-core'); await render(createElement(AlertEmail, { event: parseAlertEvent(${fixtureEvent}) }));`,
  },
  {
    name: 'templates: first Slack message',
    ours: `const { renderAlertSlack } = await import('@pytake/notify-templates'); JSON.stringify(renderAlertSlack(${fixtureEvent}));`,
    raw: `JSON.stringify({ text: 'Disk full', blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Disk full' } }] });`,
  },
];

const cwd = fileURLToPath(new URL('../..', import.meta.url));

function timeFresh(code: string): number {
  const script = `const t0 = performance.now(); ${code} console.log(performance.now() - t0);`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    cwd,
    encoding: 'utf8',
  });
  return Number(out.trim().split('\n').at(-1));
}

/** Cold import plus first call, each in a fresh process, interleaved ours/raw. Reported, no bar. */
export function coldStartRows(runs = 5): Row[] {
  return pairs.map(({ name, ours, raw }) => {
    timeFresh(ours);
    timeFresh(raw);
    const a: number[] = [];
    const b: number[] = [];
    for (let i = 0; i < runs; i++) {
      a.push(timeFresh(ours));
      b.push(timeFresh(raw));
    }
    const o = stats(a);
    const r = stats(b);
    return {
      name: `cold start, ${name}`,
      ours: o,
      raw: r,
      ratio: o.medianMs / r.medianMs,
      kind: 'time',
      bar: 'report',
      pass: null,
    };
  });
}
