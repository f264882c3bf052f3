import type { AlertDigest } from '@pytake/notify-core';
import {
  escapeMrkdwn,
  link,
  SLACK_LIMITS,
  type SlackMessage,
  type SlackMessageInput,
  slackMessage,
  truncateText,
} from '@pytake/notify-slack/blocks';
import { buildDigestView, type DigestItem, moreText } from '../digest-view.js';
import { type AlertSlackOptions, resolveOptions } from '../options.js';

// Keep this file free of React, like render-alert-slack.ts.

/**
 * A title is cut to this in a digest's list: a line per alert, and 12,000 characters of block text
 * for the whole message (SLACK_LIMITS.blockText) are worth more as more alerts than as whole titles.
 */
const TITLE_MAX = 150;
/** A link longer than this is left out of its line (the title stays): it would cost a few alerts. */
const URL_MAX = 500;

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text, verbatim: true });

/** One alert's line: `🟠 *High* · <url|title> · New alert · 5 minutes ago`. */
function itemLine(item: DigestItem): string {
  const title = truncateText(item.title, TITLE_MAX);
  // link() escapes the label and percent-encodes `|` `<` `>` in the URL, so neither ends the link.
  const shown = item.url && item.url.length <= URL_MAX ? link(item.url, title) : escapeMrkdwn(title);
  return `${item.severityEmoji} *${escapeMrkdwn(item.severityLabel)}* · ${shown} · ${escapeMrkdwn(item.kind)} · ${escapeMrkdwn(item.age)}`;
}

/**
 * Renders a storm's digest as one Slack message: a header with the organization and the number of
 * alerts, the counts by severity and by event kind, then the alerts most severe first, one line
 * each (emoji, severity, title linked to the alert, what happened, age), "…and N more" for those that
 * do not fit, and a link to the organization's alert list.
 * It fits Slack's limits by construction, for any number of alerts: the list stops before the first
 * alert whose line would pass the 50 blocks, a section's 3,000 characters or the 12,000 of block text
 * in all, so nothing is cut mid-list. A digest never mentions anyone, whatever `mentionOnEscalation`
 * says: a storm is when mentions would wake everyone every few minutes. All alert text is escaped.
 * @throws ConfigError for bad options.
 */
export function renderDigestSlack(digest: AlertDigest, options: AlertSlackOptions = {}): SlackMessage {
  const view = buildDigestView(digest, resolveOptions(options));
  const d = view.messages.digest;
  const top = view.items[0]?.severityEmoji ?? '🟢';

  // A bold mrkdwn line rather than a header block: the organization's name is escaped like all
  // other text, so no `<!channel>` appears anywhere in the message, not even as plain text.
  const headerText = `*${top} ${escapeMrkdwn(truncateText(view.heading, SLACK_LIMITS.headerText))}*`;
  const counts = view.total > 0 ? `*${escapeMrkdwn(view.severities)}* · ${escapeMrkdwn(view.kinds)}` : '';
  const listLink = view.listUrl && view.listUrl.length <= URL_MAX ? link(view.listUrl, d.viewAll) : '';
  // "…and N more" is longest when nothing is listed: reserving that keeps room for whatever it says.
  const moreMax = moreText(view, view.total).length;

  const head: SlackMessageInput['blocks'] = [{ type: 'section', text: mrkdwn(headerText) }];
  if (counts) head.push({ type: 'context', elements: [mrkdwn(counts)] });
  // Blocks and text that are not the list: the header, the counts, the divider, "…and N more" and
  // the link.
  const otherBlocks = head.length + 1 + 1 + (listLink ? 1 : 0);
  let textLeft = SLACK_LIMITS.blockText - headerText.length - counts.length - moreMax - listLink.length;

  const sections: string[] = [];
  let listed = 0;
  for (const item of view.items) {
    const line = itemLine(item);
    const last = sections.length - 1;
    const joins = last >= 0 && sections[last]!.length + 1 + line.length <= SLACK_LIMITS.sectionText;
    const cost = joins ? line.length + 1 : line.length;
    if (cost > textLeft) break;
    if (joins) sections[last] += `\n${line}`;
    else if (otherBlocks + sections.length < SLACK_LIMITS.blocks) sections.push(line);
    else break;
    textLeft -= cost;
    listed++;
  }

  const blocks: SlackMessageInput['blocks'] = [...head, { type: 'divider' }];
  for (const text of sections) blocks.push({ type: 'section', text: mrkdwn(text) });
  const hidden = view.total - listed;
  if (hidden > 0) blocks.push({ type: 'context', elements: [mrkdwn(escapeMrkdwn(moreText(view, hidden)))] });
  if (listLink) blocks.push({ type: 'section', text: mrkdwn(listLink) });

  // The notification line: what the header and counts say, with no mention.
  const text = `${top} ${escapeMrkdwn(truncateText(view.heading, SLACK_LIMITS.headerText))}${view.total > 0 ? `: ${escapeMrkdwn(view.severities)}` : ''}`;
  return slackMessage({ text, blocks, color: view.severityColor });
}
