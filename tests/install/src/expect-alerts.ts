// What the consumer programs (consumer/send.*) must have delivered, checked at the receiving end.
import { expect } from 'vitest';
import type { SmtpReceiver, WebhookReceiver } from './receivers.js';
import type { RunResult } from './run.js';

interface SlackBlock {
  type: string;
  text?: { text?: string };
  elements?: Array<{ action_id?: string }>;
}
interface SlackBody {
  text?: string;
  attachments?: Array<{ color?: string; blocks?: SlackBlock[] }>;
}

/** The one JSON line a consumer program prints last. */
export interface ProgramSummary {
  label: string;
  statuses: string[];
  subpaths: Record<string, unknown>;
}

export function lastJsonLine<T>(result: RunResult): T {
  return JSON.parse(result.stdout.trim().split('\n').at(-1) ?? 'null') as T;
}

export function expectProgramDelivered(
  summary: ProgramSummary,
  subpaths: Record<string, unknown> = { fixtures: 25, react: 'function' },
): void {
  expect(summary.statuses).toEqual([
    'alert.created email delivered',
    'alert.created slack delivered',
    'alert.escalated email delivered',
    'alert.escalated slack delivered',
  ]);
  expect(summary.subpaths).toEqual(subpaths);
}

/** The created and escalated alerts of the program labelled `label` arrived as its users see them. */
export function expectBothAlerts(smtp: SmtpReceiver, webhook: WebhookReceiver, label: string): void {
  const title = `Disk usage above 90% on db-1 [${label}]`;
  const mails = smtp.received.filter((m) => m.subject?.endsWith(`[${label}]`));
  expect(mails.map((m) => m.subject)).toEqual([
    `🚨 Alert: ${title}`,
    `⚠️ Alert Escalated to Level 2: ${title}`,
  ]);
  for (const mail of mails) {
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : '').toBe('ops@acme.test');
    expect(mail.from?.text).toContain('alerts@pytake.test');
    // Both parts of the multipart/alternative email.
    expect(mail.text).toContain(title);
    expect(mail.html || '').toMatch(/^<!DOCTYPE html/);
    expect(mail.html || '').toContain(title);
  }
  expect(mails[1]?.text).toContain('Level 2');

  const posts = webhook.received
    .map((p) => p.body as SlackBody)
    .filter((b) => typeof b?.text === 'string' && b.text.includes(`[${label}]`));
  expect(posts).toHaveLength(2);
  for (const post of posts) {
    const attachment = post.attachments?.[0];
    expect(attachment?.color).toBe('#ff9800');
    const blocks = attachment?.blocks ?? [];
    expect(blocks.find((b) => b.type === 'header')?.text?.text).toContain(title);
    expect(blocks.find((b) => b.type === 'actions')?.elements?.map((e) => e.action_id)).toEqual([
      'alert.view',
      'alert.acknowledge',
      'alert.resolve',
      'alert.assign',
    ]);
  }
  expect(posts[0]?.text).toContain('🚨 Alert:');
  expect(posts[1]?.text).toContain('Escalated to Level 2');
}
