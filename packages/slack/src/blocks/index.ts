import type { MrkdwnElement, PlainTextElement } from '@slack/types';

/**
 * Shared bits of the Block Kit builders. Each builder returns a plain `@slack/types` object and
 * checks nothing: limits are checked once, for the whole message, by `slackMessage()`, so that
 * every violation is reported together with its path.
 */

/**
 * A mrkdwn text object. The caller escapes user text with `escapeMrkdwn`. `verbatim: true` (the
 * default) stops Slack from turning bare URLs and `#channel` names in alert data into links; the
 * mentions and links written with this package's helpers (`<@U…>`, `<url|label>`) still work.
 */
export function mrkdwnText(text: string, verbatim = true): MrkdwnElement {
  return verbatim ? { type: 'mrkdwn', text, verbatim: true } : { type: 'mrkdwn', text };
}

/** A plain_text object with emoji shortcodes turned on, as Slack's own builder does. */
export function plainText(text: string): PlainTextElement {
  return { type: 'plain_text', text, emoji: true };
}

/** Options every block takes. */
export interface BlockOptions {
  /** Identifies the block in interaction payloads; at most 255 characters. */
  blockId?: string;
}

/** Options of the blocks that hold mrkdwn text. */
export interface MrkdwnOptions {
  /**
   * `false` lets Slack auto-link bare URLs, `#channel` names and `@name`s in the text. Leave it
   * `true` for anything that carries alert data. @default true
   */
  verbatim?: boolean;
}

export function withBlockId<B extends object>(
  block: B,
  blockId: string | undefined,
): B & { block_id?: string } {
  // Every builder passes a block it has just made, so setting the id in place is safe and spares
  // a copy per block.
  if (blockId !== undefined) (block as B & { block_id?: string }).block_id = blockId;
  return block;
}
