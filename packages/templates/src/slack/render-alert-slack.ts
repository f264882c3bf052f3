import type { AlertEvent, AlertEventInput } from '@pytake/notify-core';
import {
  ALERT_ACTION_IDS,
  type button,
  channelMention,
  escapeMrkdwn,
  groupMention,
  SLACK_LIMITS,
  type SlackMessage,
  type SlackMessageInput,
  slackMessage,
  userMention,
} from '@pytake/notify-slack/blocks';
import { type AlertView, buildAlertView } from '../alert-view.js';
import { type AlertSlackOptions, type MentionOnEscalation, resolveOptions } from '../options.js';
import { toAlertEvent } from '../to-alert-event.js';

// Keep this file (and everything it imports) free of React: services that only post to Slack, and
// the cold-import benchmark, must not load React or React Email.

function mentions(setting: MentionOnEscalation): string {
  if (setting === false) return '';
  if (setting === true) return channelMention('channel');
  return setting.map((id) => (id.startsWith('S') ? groupMention(id) : userMention(id))).join(' ');
}

// The labels are the message's static text (a few dozen per locale): escaped once and kept, as the
// email's static HTML is compiled once, so that a message escapes only its data.
const boldLabels = new Map<string, string>();
const boldLines = new Map<string, string>();
/** `*Label*`, escaped once per label. */
function bold(label: string): string {
  let text = boldLabels.get(label);
  if (text === undefined) {
    text = `*${escapeMrkdwn(label)}*`;
    boldLabels.set(label, text);
  }
  return text;
}

/** `*Label:* `, escaped once per label. */
function labelPrefix(label: string): string {
  let prefix = boldLines.get(label);
  if (prefix === undefined) {
    prefix = `*${escapeMrkdwn(label)}:* `;
    boldLines.set(label, prefix);
  }
  return prefix;
}

// Most values in the message are shared by many alerts: the organization, the severity and category,
// the summary of a severity or duration, dates, levels, owners. Escaping one is a regular-expression
// test per message, so the escapes of the last few hundred are kept (as the email keeps their HTML).
// Not the alert's own free text (its subject, description and notes), which would only push the
// shared ones out. The memory stays flat: the map is emptied when full, and only short texts are kept.
const KEPT_MAX = 512;
const KEPT_LENGTH_MAX = 256;
const keptEscapes = new Map<string, string>();

/** `escapeMrkdwn` for text that many alerts share. */
function escapeShared(text: string): string {
  if (text.length > KEPT_LENGTH_MAX) return escapeMrkdwn(text);
  let escaped = keptEscapes.get(text);
  if (escaped === undefined) {
    escaped = escapeMrkdwn(text);
    if (keptEscapes.size >= KEPT_MAX) keptEscapes.clear();
    keptEscapes.set(text, escaped);
  }
  return escaped;
}

/** A bold label and an escaped value (shared by many alerts), on one mrkdwn line. */
const line = (label: string, value: string) => labelPrefix(label) + escapeShared(value);

type Button = ReturnType<typeof button>;

// The layout is fixed, so its blocks are written here as the objects the Block Kit builders
// (header, context, section, actions, button) return, key for key, without their intermediate
// inputs and arrays: Slack messages are built as often as emails, and JSON.stringify is most of
// their cost. slackMessage() still checks every limit of the result.
const plain = (text: string) => ({ type: 'plain_text' as const, text, emoji: true });
const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text, verbatim: true });

function buttons(view: AlertView): Button[] {
  const m = view.messages;
  // Ids and URLs are never cut to fit (a cut one would act on the wrong alert or link nowhere), and
  // core puts no length limit on alert ids: a button whose url or value is over Slack's limit is left
  // out, so the message still goes.
  const idFits = view.alertId.length <= SLACK_LIMITS.buttonValue;
  const list: Button[] = [];
  // Which buttons apply is alertActions' call (through the view), the same for email and Slack. The
  // first one that changes the alert (Acknowledge, or Resolve once acknowledged) is the primary one.
  let primary = true;
  for (const kind of view.actions) {
    if (kind === 'view') {
      if (view.url && view.url.length <= SLACK_LIMITS.url) {
        const b: Button = { type: 'button', text: plain(m.action.view), action_id: ALERT_ACTION_IDS.view };
        if (idFits) b.value = view.alertId;
        b.url = view.url;
        list.push(b);
      }
      continue;
    }
    const isPrimary = primary;
    primary = false;
    if (!idFits) continue;
    const b: Button = {
      type: 'button',
      text: plain(m.action[kind]),
      action_id: ALERT_ACTION_IDS[kind],
      value: view.alertId,
    };
    if (isPrimary) b.style = 'primary';
    list.push(b);
  }
  return list;
}

/**
 * Renders an alert event as a Slack message: a color bar in the severity's color, a header with the
 * severity emoji and the title, what happened, the alert's fields and the action buttons.
 * All alert text is escaped (`<!channel>` in a title never pings, `*Ops*` shows starred, not bold) and
 * every mrkdwn text object is `verbatim` (no bare URL or `#channel` in alert data becomes a link);
 * only `mentionOnEscalation` mentions.
 * Over-long text is truncated within Slack's limits rather than failing the message.
 * @throws ValidationError for a malformed event, ConfigError for bad options.
 * @example
 * ```ts
 * import { renderAlertSlack } from '@pytake/notify-templates';
 *
 * const message = renderAlertSlack(event, { locale: 'en', mentionOnEscalation: true });
 * ```
 */
export function renderAlertSlack(
  event: AlertEvent | AlertEventInput,
  options: AlertSlackOptions = {},
): SlackMessage {
  const resolved = resolveOptions(options);
  const parsed = toAlertEvent(event);
  const view = buildAlertView(parsed, resolved);
  const m = view.messages;
  const organization = escapeShared(view.organization);

  const blocks: SlackMessageInput['blocks'] = [
    // Header text is plain_text: Slack shows it literally and never parses mentions in it.
    { type: 'header', text: plain(`${view.severityEmoji} ${view.kind}: ${view.title}`) },
    // Every mrkdwn text is `verbatim: true` (as section() and context() make it): Slack must not
    // auto-link alert data.
    { type: 'context', elements: [mrkdwn(labelPrefix(m.label.organization) + organization)] },
  ];
  if (view.firstReportedInDigest)
    blocks.push({ type: 'context', elements: [mrkdwn(escapeShared(view.firstReportedInDigest))] });
  if (view.type !== 'alert.created') {
    // The summary, then the event's rows but the levels (the summary says them).
    let text = `*${escapeShared(view.summary)}*`;
    for (const row of view.eventDetails)
      if (row.key !== 'fromLevel' && row.key !== 'toLevel') text += `\n${line(row.label, row.value)}`;
    blocks.push({ type: 'section', text: mrkdwn(text) });
  }
  const fields: ReturnType<typeof mrkdwn>[] = [];
  if (view.description)
    fields.push(mrkdwn(`${bold(m.label.description)}\n${escapeMrkdwn(view.description)}`));
  fields.push(
    mrkdwn(line(m.label.severity, view.severityLabel)),
    mrkdwn(line(m.label.category, parsed.alert.category)),
    mrkdwn(line(m.label.createdAt, view.createdAt)),
  );
  blocks.push({ type: 'section', fields });
  if (view.notes)
    blocks.push({
      type: 'section',
      text: mrkdwn(`${bold(view.notes.label)}\n${escapeMrkdwn(view.notes.value)}`),
    });
  const list = buttons(view);
  if (list.length > 0) blocks.push({ type: 'actions', elements: list, block_id: 'alert.actions' });

  const mention = parsed.type === 'alert.escalated' ? mentions(resolved.mentionOnEscalation) : '';
  // The top-level text is shown above the colored attachment and in notifications, so it carries the
  // mention (a mention inside an attachment may not notify) and says the whole thing in one line.
  const text = `${mention ? `${mention} ` : ''}${escapeMrkdwn(view.subject)} · ${organization}`;
  return slackMessage({ text, blocks, color: view.severityColor });
}
