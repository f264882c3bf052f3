import { type BoundedList, createBoundedList } from './bounded-list.js';

/** An email as the embedded SMTP server received it, parsed. */
export interface CapturedEmail {
  kind: 'email';
  id: string;
  receivedAt: string;
  envelope: { from: string; to: string[] };
  from: string;
  to: string;
  cc?: string;
  replyTo?: string;
  subject: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  text?: string;
  html?: string;
  /** Size of the raw message in bytes. */
  size: number;
}

/** A Slack message as the embedded webhook received it. */
export interface CapturedSlack {
  kind: 'slack';
  id: string;
  receivedAt: string;
  /** The webhook path, redacted like any webhook. */
  webhook: string;
  payload: unknown;
  /** How the fake Slack received it: an incoming webhook or `chat.postMessage`. */
  via?: 'webhook' | 'api';
  /** The alert its buttons act on (their `value`), when it has any. */
  alertId?: string;
  /** Web API messages: the channel id and the `ts` Slack answered with. */
  channel?: string;
  ts?: string;
  /** Set when replaced through a `response_url` or changed with `chat.update`. */
  editedAt?: string;
  editedBy?: 'response_url' | 'chat.update';
}

export type OutboxEntry = CapturedEmail | CapturedSlack;

export type Outbox = BoundedList<OutboxEntry>;

export function createOutbox(max: number): Outbox {
  return createBoundedList<OutboxEntry>(max);
}
