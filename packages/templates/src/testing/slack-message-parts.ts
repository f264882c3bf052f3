import type { SlackMessage } from '@pytake/notify-slack';

type Json = Record<string, unknown>;

/** Every text object in the message, by type, plus the top-level fallback as mrkdwn. */
export function texts(message: SlackMessage): { mrkdwn: string[]; plain: string[] } {
  const found = { mrkdwn: [message.text], plain: [] as string[] };
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    else if (typeof value === 'object' && value !== null) {
      const object = value as Json;
      if (object.type === 'mrkdwn') found.mrkdwn.push(object.text as string);
      else if (object.type === 'plain_text') found.plain.push(object.text as string);
      else Object.values(object).forEach(walk);
    }
  };
  walk(message.attachments);
  walk(message.blocks);
  return found;
}

/** The blocks of the message's one attachment (where a message with a color bar keeps them). */
export const blocksOf = (message: SlackMessage) =>
  (message.attachments?.[0]?.blocks ?? []) as unknown as Json[];
