import type { AnyBlock } from '@slack/types';
import { markChecked } from './check-slack-message.js';
import { SLACK_LIMITS } from './limits.js';
import type { SlackMessage } from './slack-message-type.js';
import { SlackValidationError } from './slack-validation-error.js';
import { LimitChecker, type OverflowMode } from './validate-slack-message.js';

export type { SlackMessage } from './slack-message-type.js';

/** What `slackMessage` builds a message from: fallback text, blocks and an optional color bar. */
export interface SlackMessageInput {
  /** Required fallback text (notifications, screen readers). mrkdwn; escape user text. */
  text: string;
  blocks: AnyBlock[];
  /** A color bar on the left, e.g. `#d00000` for critical. Puts the blocks in one legacy attachment. */
  color?: string;
  /** Posts as a reply in this thread. */
  threadTs?: string;
}

/** Options of `slackMessage`. */
export interface SlackMessageOptions {
  /**
   * `truncate` cuts over-long text (never inside a surrogate pair, an escape or a link) and ends it
   * with `…`; `error` raises instead. Counts over a limit and over-long ids/URLs always raise.
   * @default 'truncate'
   */
  overflow?: OverflowMode;
}

/** The defaults of {@link SlackMessageOptions}. */
export const slackMessageDefaults = { overflow: 'truncate' } as const satisfies SlackMessageOptions;

/**
 * Builds a postable message, checking every limit Slack documents. Throws `SlackValidationError`
 * listing every violation by path, e.g. `blocks[3].fields[10]: at most 10 fields`.
 * `input` is never changed; blocks that needed no truncation are shared with it, not copied.
 * The channels do not check the result again when they send it, so change it only by building it
 * anew (a copy, such as `{ ...message, blocks }`, is checked when sent).
 * @example
 * ```ts
 * import { header, section, slackMessage } from '@pytake/notify-slack';
 *
 * const message = slackMessage({
 *   text: 'Disk almost full on db-1',
 *   blocks: [header('Disk almost full on db-1'), section({ text: '*Severity:* high' })],
 *   color: '#d00000',
 * });
 * ```
 */
export function slackMessage(input: SlackMessageInput, options: SlackMessageOptions = {}): SlackMessage {
  const checker = new LimitChecker(options.overflow ?? slackMessageDefaults.overflow);
  const text = checker.text(input.text, 'text', SLACK_LIMITS.messageText) as string;
  const blocks = checker.blocks(input.blocks, 'blocks') as AnyBlock[];
  if (
    input.color !== undefined &&
    !/^(#[0-9a-fA-F]{6}|#[0-9a-fA-F]{3}|good|warning|danger)$/.test(input.color)
  ) {
    checker.issues.push({
      path: 'color',
      message: `expected a hex color like #d00000, got ${JSON.stringify(input.color)}`,
    });
  }
  if (checker.issues.length > 0) throw new SlackValidationError(checker.issues);
  // Block Kit has no color; the legacy attachment's color bar is the only way to show severity
  // as a colored edge, so with a color the blocks move into one attachment.
  const message: SlackMessage =
    input.color === undefined ? { text, blocks } : { text, attachments: [{ color: input.color, blocks }] };
  if (input.threadTs !== undefined) message.thread_ts = input.threadTs;
  return markChecked(message);
}
