import { ValidationError } from '@pytake/notify-core/model';

// Slack ids are upper-case letters and digits; checking them keeps a bad config value from
// turning into arbitrary markup.
const userId = /^[UW][A-Z0-9]{2,}$/;
const groupId = /^S[A-Z0-9]{2,}$/;

/** `<@U123>`: mentions (and notifies) one user. */
export function userMention(id: string): string {
  if (!userId.test(id)) {
    throw new ValidationError('Invalid user mention', [
      { path: 'id', message: `expected a Slack user id like U024BE7LH, got ${JSON.stringify(id)}` },
    ]);
  }
  return `<@${id}>`;
}

/** `<!subteam^S123>`: mentions a user group. */
export function groupMention(id: string): string {
  if (!groupId.test(id)) {
    throw new ValidationError('Invalid group mention', [
      { path: 'id', message: `expected a Slack user group id like SAZ94GDB8, got ${JSON.stringify(id)}` },
    ]);
  }
  return `<!subteam^${id}>`;
}

/** Who a channel mention notifies: `channel` (every member), `here` (members online) or `everyone`. */
export type ChannelMentionKind = 'channel' | 'here' | 'everyone';

/** `<!here>`, `<!channel>` or `<!everyone>`. */
export function channelMention(kind: ChannelMentionKind): string {
  if (kind !== 'channel' && kind !== 'here' && kind !== 'everyone') {
    throw new ValidationError('Invalid channel mention', [
      { path: 'kind', message: `expected one of channel, here, everyone, got ${JSON.stringify(kind)}` },
    ]);
  }
  return `<!${kind}>`;
}
