import type { AnyBlock, MessageAttachment } from '@slack/types';

// The shape on its own, so that the builder and the limit checker it uses can both name it.
/** A message ready to post to a webhook or `chat.postMessage` (plus `channel`). */
export interface SlackMessage {
  /** The fallback shown in notifications and by clients that cannot show blocks. */
  text: string;
  blocks?: AnyBlock[];
  /** Holds the blocks when the message has a color bar. */
  attachments?: MessageAttachment[];
  /** Replies in this thread (Web API; webhooks that support it). */
  thread_ts?: string;
}
