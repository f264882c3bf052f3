import { freshCost } from '../fresh.js';
import { atMost, type Budget, median, ms, type Result, type Row } from '../harness.js';

// Each snippet runs in a fresh `node`: import what it needs, then make the first call. The input is
// JSON, as a service gets it from a queue or a request, so both sides validate it.
const eventJson = `{ type: 'alert.created', occurredAt: '2025-12-14T14:30:00Z', alert: { id: 'a1', organizationId: 'o1', title: 'Disk full on db-1', severity: 'critical', category: 'system', createdAt: '2025-12-14T14:30:00Z', url: 'https://app.pytake.net/alerts/a1' } }`;
const webhookUrl = `'https://hooks.slack.com/services/T000/B000/XXXXXXXX'`;

interface Pair {
  name: string;
  ours: string;
  raw: string;
}

const firstEmail: Pair = {
  name: 'first alert email in a fresh process (CPU)',
  ours: `const { renderAlertEmail } = await import('@pytake/notify-templates'); await renderAlertEmail(${eventJson});`,
  // React Email's own first render of the same components: HTML only, which is less than ours does.
  raw: `const { render } = await import('@react-email/render'); const { createElement } = await import('react'); const { AlertEmail } = await import('@pytake/notify-templates/react'); await render(createElement(AlertEmail, { event: ${eventJson} }));`,
};

const reportPairs: Pair[] = [
  {
    name: 'first Slack message ready to post (CPU)',
    ours: `const { createSlackWebhookChannel } = await import('@pytake/notify-slack'); const { renderAlertSlack } = await import('@pytake/notify-templates'); createSlackWebhookChannel({}); JSON.stringify(renderAlertSlack(${eventJson}));`,
    // A real client and a real payload: @slack/webhook's IncomingWebhook and a literal of the same layout.
    raw: `const { IncomingWebhook } = await import('@slack/webhook'); new IncomingWebhook(${webhookUrl}); const e = ${eventJson}; JSON.stringify({ text: 'New alert: ' + e.alert.title, attachments: [{ color: '#d32f2f', blocks: [{ type: 'header', text: { type: 'plain_text', text: '🔴 New alert: ' + e.alert.title, emoji: true } }, { type: 'section', fields: [{ type: 'mrkdwn', text: '*Severity:* ' + e.alert.severity }, { type: 'mrkdwn', text: '*Created:* ' + new Date(e.alert.createdAt).toUTCString() }] }, { type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'View Alert' }, url: e.alert.url, action_id: 'alert.view', value: e.alert.id }] }] }] });`,
  },
  {
    name: 'core: parse an event (CPU)',
    ours: `const { parseAlertEvent } = await import('@pytake/notify-core'); parseAlertEvent(${eventJson});`,
    raw: `const { z } = await import('zod'); z.object({ type: z.literal('alert.created'), occurredAt: z.coerce.date(), alert: z.object({ id: z.string(), organizationId: z.string(), title: z.string().max(255), severity: z.enum(['critical','high','medium','low']), category: z.string(), createdAt: z.coerce.date(), url: z.url().optional() }) }).parse(${eventJson});`,
  },
  {
    name: 'email: create a channel (CPU)',
    ours: `const { createEmailChannel } = await import('@pytake/notify-email'); createEmailChannel({ host: '127.0.0.1' }).close();`,
    raw: `const { createTransport } = await import('nodemailer'); createTransport({ pool: true, host: '127.0.0.1' }).close();`,
  },
];

/** One warm-up each (the OS file cache), then `runs` interleaved fresh processes per side. */
async function measure(pair: Pair, runs: number, b: Budget) {
  const timeout = Math.max(5000, Math.min(30_000, b.left()));
  await freshCost(pair.ours, timeout);
  await freshCost(pair.raw, timeout);
  const ours: number[] = [];
  const raw: number[] = [];
  for (let i = 0; i < runs; i++) {
    if (b.spent() && i > 0) {
      b.hit(`${pair.name}: ${i} of ${runs} runs`);
      break;
    }
    const [first, second] = i % 2 === 0 ? [pair.ours, pair.raw] : [pair.raw, pair.ours];
    const a = await freshCost(first, timeout);
    const c = await freshCost(second, timeout);
    (i % 2 === 0 ? ours : raw).push(a.cpuMs);
    (i % 2 === 0 ? raw : ours).push(c.cpuMs);
  }
  return { ours: median(ours), raw: median(raw), runs: ours.length };
}

export const emailColdRow: Row = {
  name: 'email-cold',
  what: 'CPU of import + first alert email in a fresh node process: renderAlertEmail vs React Email render() of the same component',
  ceilingMs: 20_000,
  async run(b) {
    const m = await measure(firstEmail, 5, b);
    const ratio = m.ours / m.raw;
    return [
      {
        name: firstEmail.name,
        ours: ms(m.ours),
        raw: ms(m.raw),
        ratio,
        ratioOf: 'ours/raw CPU',
        ...atMost(ratio, 0.4),
        data: m,
      },
    ];
  },
};

export const coldRow: Row = {
  name: 'cold',
  what: 'CPU of import + first call in a fresh process for Slack, core and email, against the raw library (reported, no bar)',
  ceilingMs: 20_000,
  async run(b) {
    const results: Result[] = [];
    for (const pair of reportPairs) {
      if (b.spent()) {
        b.hit(`skipped ${pair.name}`);
        continue;
      }
      const m = await measure(pair, 3, b);
      results.push({
        name: pair.name,
        ours: ms(m.ours),
        raw: ms(m.raw),
        ratio: m.ours / m.raw,
        ratioOf: 'ours/raw CPU',
        bar: 'report',
        pass: null,
        data: m,
      });
    }
    return results;
  },
};
