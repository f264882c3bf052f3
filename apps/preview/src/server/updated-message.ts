import { type AlertEvent, parseAlertEvent, type TenantConfig } from '@pytake/notify-core';
import { escapeMrkdwn, type SlackMessage } from '@pytake/notify-slack';
import type { ConsoleAlert, EventContext } from './alert-store.js';
import { type PreviewTemplates, packageTemplates } from './preview-templates.js';

/**
 * The message an alert's Slack message becomes after someone acted on it: the same event rendered
 * by the real templates for the alert's new status (so the buttons are `alertActions`' for that
 * status: no Acknowledge once acknowledged, nothing but View once resolved), plus a line saying who
 * acknowledged, resolved or was assigned. `templates` are the app's: in `pnpm demo` the live copy, so
 * that a pressed button shows the designer's latest edit like every other message.
 */
export async function renderUpdatedMessage(
  context: EventContext,
  alert: ConsoleAlert,
  tenant: TenantConfig,
  templates: PreviewTemplates = packageTemplates,
  now: Date = new Date(),
): Promise<SlackMessage> {
  const message = await templates.renderSlackForTenant(eventFor(context.event, alert, now), tenant);
  const who = [
    alert.acknowledgedBy ? `Acknowledged by *${escapeMrkdwn(alert.acknowledgedBy)}*` : '',
    alert.resolvedBy ? `Resolved by *${escapeMrkdwn(alert.resolvedBy)}*` : '',
    alert.assignee ? `Assigned to *${escapeMrkdwn(alert.assignee)}*` : '',
  ].filter(Boolean);
  if (who.length === 0) return message;
  const line = { type: 'context' as const, elements: [{ type: 'mrkdwn' as const, text: who.join(' · ') }] };
  const attachment = message.attachments?.[0];
  if (attachment?.blocks) {
    return {
      ...message,
      attachments: [
        { ...attachment, blocks: [...attachment.blocks, line] },
        ...message.attachments!.slice(1),
      ],
    };
  }
  return { ...message, blocks: [...(message.blocks ?? []), line] };
}

function eventFor(event: AlertEvent, alert: ConsoleAlert, now: Date): AlertEvent {
  if (alert.status === 'resolved') {
    // A resolution turns any message of the alert into the resolved one.
    return parseAlertEvent({
      ...event,
      type: 'alert.resolved',
      alert: { ...event.alert, status: 'resolved' },
      occurredAt: event.occurredAt > now ? event.occurredAt : now,
      ...(alert.resolvedBy ? { resolvedBy: alert.resolvedBy } : {}),
    });
  }
  return {
    ...event,
    alert: {
      ...event.alert,
      status: alert.status,
      ...(alert.status === 'acknowledged' && !event.alert.acknowledgedAt ? { acknowledgedAt: now } : {}),
    },
  } as AlertEvent;
}
