import {
  type Alert,
  type AlertEvent,
  parseAlertEvent,
  type RenderContext,
  type TenantConfig,
} from '@pytake/notify-core';
import { escapeMrkdwn, type SlackMessage } from '@pytake/notify-slack';
import type { ConsoleAlert, EventContext } from './alert-store.js';
import { type PreviewTemplates, packageTemplates } from './preview-templates.js';

/**
 * The key of an alert's `metadata` that says who acted on it in this app. With the queue a worker
 * renders the alert's messages again from the alert alone (`updateAlertMessages(alert)`, with the
 * Web API route's renderer), so the "Acknowledged by …" line can only reach that renderer inside the
 * alert; `metadata` is the alert's field for what a service adds, and no template shows it.
 */
export const actedMetadataKey = 'previewActed';

/** What `alertAfterActions` puts under `actedMetadataKey`: plain JSON, since it goes through Redis. */
export interface ActedMetadata {
  acknowledgedBy?: string;
  resolvedBy?: string;
  assignee?: string;
  /** When the actions were applied (ISO 8601): a resolution is shown as of then. */
  at: string;
}

/** The alert as the console's actions left it: their status, and who acted in its `metadata`. */
export function alertAfterActions(alert: Alert, state: ConsoleAlert, now: Date = new Date()): Alert {
  const acted: ActedMetadata = {
    ...(state.acknowledgedBy ? { acknowledgedBy: state.acknowledgedBy } : {}),
    ...(state.resolvedBy ? { resolvedBy: state.resolvedBy } : {}),
    ...(state.assignee ? { assignee: state.assignee } : {}),
    at: now.toISOString(),
  };
  return {
    ...alert,
    status: state.status,
    ...(state.status === 'acknowledged' && !alert.acknowledgedAt ? { acknowledgedAt: now } : {}),
    metadata: { ...alert.metadata, [actedMetadataKey]: acted },
  };
}

/**
 * The Slack message of an event: the templates' own; for an alert someone acted on in this app
 * (`alertAfterActions`), the message it becomes: the same event rendered by the real templates for
 * the alert's new status (so the buttons are `alertActions`' for that status: no Acknowledge once
 * acknowledged, nothing but View once resolved), plus a line saying who acknowledged, resolved or was
 * assigned. The Web API route's renderer, so that a queue worker editing the alert's messages draws
 * them as the app does; `context` is core's render context (a digest that reported the alert first).
 * `templates` are the app's: in `pnpm demo` the live copy, so that a pressed
 * button shows the designer's latest edit like every other message.
 */
export async function renderAlertMessage(
  event: AlertEvent,
  tenant: TenantConfig,
  templates: PreviewTemplates = packageTemplates,
  context?: RenderContext,
): Promise<SlackMessage> {
  const acted = actedOf(event.alert.metadata);
  if (!acted) return templates.renderSlackForTenant(event, tenant, context);
  const message = await templates.renderSlackForTenant(eventFor(event, acted), tenant, context);
  const who = [
    acted.acknowledgedBy ? `Acknowledged by *${escapeMrkdwn(acted.acknowledgedBy)}*` : '',
    acted.resolvedBy ? `Resolved by *${escapeMrkdwn(acted.resolvedBy)}*` : '',
    acted.assignee ? `Assigned to *${escapeMrkdwn(acted.assignee)}*` : '',
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

/** The message an alert's Slack message becomes after someone acted on it (see `renderAlertMessage`). */
export function renderUpdatedMessage(
  context: EventContext,
  alert: ConsoleAlert,
  tenant: TenantConfig,
  templates: PreviewTemplates = packageTemplates,
  now: Date = new Date(),
): Promise<SlackMessage> {
  const event = { ...context.event, alert: alertAfterActions(context.event.alert, alert, now) } as AlertEvent;
  return renderAlertMessage(event, tenant, templates);
}

/** The acted metadata of an alert, when it is one: metadata is anyone's, so its shape is checked. */
function actedOf(metadata: Record<string, unknown>): ActedMetadata | undefined {
  const value = metadata[actedMetadataKey];
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  if (typeof v.at !== 'string' || Number.isNaN(Date.parse(v.at))) return undefined;
  const name = (x: unknown) => (typeof x === 'string' && x !== '' ? x : undefined);
  const [acknowledgedBy, resolvedBy, assignee] = [
    name(v.acknowledgedBy),
    name(v.resolvedBy),
    name(v.assignee),
  ];
  return {
    at: v.at,
    ...(acknowledgedBy ? { acknowledgedBy } : {}),
    ...(resolvedBy ? { resolvedBy } : {}),
    ...(assignee ? { assignee } : {}),
  };
}

function eventFor(event: AlertEvent, acted: ActedMetadata): AlertEvent {
  if (event.alert.status !== 'resolved') return event;
  // A resolution turns any message of the alert into the resolved one.
  const at = new Date(acted.at);
  return parseAlertEvent({
    ...event,
    type: 'alert.resolved',
    occurredAt: event.occurredAt > at ? event.occurredAt : at,
    ...(acted.resolvedBy ? { resolvedBy: acted.resolvedBy } : {}),
  });
}
