import type { AlertEvent } from '@pytake/notify-core';
import { renderAlertSlack } from '@pytake/notify-templates';
import { fixtureEntries } from '@pytake/notify-templates/fixtures';
import { atMost, interleave, median, ms, type Row } from '../harness.js';

const COLORS = { critical: '#d32f2f', high: '#ff9800', medium: '#fbc02d', low: '#388e3c' } as const;
const EMOJI = { critical: '🔴', high: '🟠', medium: '🟡', low: '🟢' } as const;
const dates = new Intl.DateTimeFormat('en-US', {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: 'numeric',
  minute: '2-digit',
  timeZone: 'UTC',
  timeZoneName: 'short',
});
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });
const md = (text: string) => ({ type: 'mrkdwn', text });

/**
 * The raw baseline: the same layout written as object literals by hand, with the escaping, date
 * formatting and truncation a careful service would still need, then JSON.stringify.
 */
function rawSlack(event: AlertEvent): string {
  const { alert } = event;
  const id = alert.id;
  const title = esc(alert.title);
  const lines: Record<AlertEvent['type'], string> = {
    'alert.created': 'New alert',
    'alert.escalated': 'Alert escalated',
    'alert.resolved': 'Alert resolved',
    'alert.stale': 'Stale alert',
  };
  const blocks: object[] = [
    {
      type: 'header',
      text: plain(cut(`${EMOJI[alert.severity]} ${lines[event.type]}: ${alert.title}`, 150)),
    },
    {
      type: 'context',
      elements: [md(`*Organization:* ${esc(alert.organizationName ?? alert.organizationId)}`)],
    },
  ];
  if (event.type === 'alert.escalated') {
    blocks.push({
      type: 'section',
      text: md(
        `*Escalated from Level ${event.fromLevel} to ${event.toLevel >= 3 ? 'Admin' : `Level ${event.toLevel}`}.*\n*Reason:* ${esc(event.reason ?? '-')}\n*Assigned to:* ${esc(event.assignedTo ?? '-')}`,
      ),
    });
  }
  blocks.push({
    type: 'section',
    fields: [
      md(cut(`*Description*\n${esc(alert.description ?? '-')}`, 2000)),
      md(`*Severity:* ${alert.severity}`),
      md(`*Category:* ${esc(alert.category)}`),
      md(`*Created:* ${dates.format(alert.createdAt)}`),
    ],
  });
  if (event.type !== 'alert.resolved') {
    blocks.push({
      type: 'actions',
      block_id: 'alert.actions',
      elements: [
        {
          type: 'button',
          text: plain('View Alert'),
          action_id: 'alert.view',
          value: id,
          url: alert.url ?? `https://app.pytake.net/alerts/${id}`,
        },
        {
          type: 'button',
          text: plain('Acknowledge'),
          action_id: 'alert.acknowledge',
          value: id,
          style: 'primary',
        },
        { type: 'button', text: plain('Resolve'), action_id: 'alert.resolve', value: id },
        { type: 'button', text: plain('Assign'), action_id: 'alert.assign', value: id },
      ],
    });
  }
  return JSON.stringify({
    text: `${lines[event.type]}: ${title}`,
    attachments: [{ color: COLORS[alert.severity], blocks }],
  });
}

/** Ours: `renderAlertSlack` (build, limits check, escaping) + JSON.stringify, over every fixture. */
export const slackBuildRow: Row = {
  name: 'slack',
  what: 'Slack message build + validation + JSON.stringify over every fixture: renderAlertSlack vs the same layout as object literals',
  ceilingMs: 10_000,
  async run(b) {
    const events = fixtureEntries.map((f) => f.event);
    const REPEAT = 20;
    let sink = 0;
    const ours = () => {
      for (let r = 0; r < REPEAT; r++)
        for (const e of events) sink += JSON.stringify(renderAlertSlack(e)).length;
    };
    const raw = () => {
      for (let r = 0; r < REPEAT; r++) for (const e of events) sink += rawSlack(e).length;
    };
    const s = await interleave(ours, raw, { warmup: 10, pairs: 60, minPairs: 5 }, b);
    if (sink === 0) throw new Error('nothing rendered');
    const per = REPEAT * events.length;
    const o = median(s.ours) / per;
    const r = median(s.raw) / per;
    const ratio = o / r;
    return [
      {
        name: `Slack build + validation, ${events.length} fixtures (per message)`,
        ours: ms(o),
        raw: ms(r),
        ratio,
        ratioOf: 'ours/raw time',
        ...atMost(ratio, 1.5),
        data: { oursMs: o, rawMs: r, pairs: s.ours.length },
      },
    ];
  },
};
