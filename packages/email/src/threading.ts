import { createHash, randomUUID } from 'node:crypto';

/**
 * The headers that thread an alert's emails together in mail clients: `Message-ID`, `In-Reply-To` and
 * `References`.
 */
export interface ThreadHeaders {
  /** The Message-ID this message goes out with, angle brackets included. */
  messageId: string;
  inReplyTo?: string;
  references?: string;
}

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

function domainOf(fromEmail: string): string {
  const at = fromEmail.lastIndexOf('@');
  return (at === -1 ? 'localhost' : fromEmail.slice(at + 1)).toLowerCase();
}

/**
 * The Message-ID that roots the thread for `threadKey`: `<thread-{sha256(key), 32 hex}@{From domain}>`.
 * Derived, not stored, so every process computes the same id for the same alert with no shared state.
 * The key is hashed so that an alert id never shows up in mail headers as is.
 */
export function threadMessageId(threadKey: string, fromEmail: string): string {
  return `<thread-${sha256(threadKey).slice(0, 32)}@${domainOf(fromEmail)}>`;
}

/**
 * Chooses the Message-ID and threading headers of one message.
 * - Every message gets its own Message-ID: derived from `idempotencyKey` when there is one (a
 *   redelivery of the same notification carries the same id, so the receiving side can drop the copy),
 *   random otherwise. No two different messages ever claim the same id: clients that drop duplicate
 *   Message-IDs (Gmail, many IMAP servers) would hide the second "created" email of a re-created alert.
 * - With a `threadKey`, the thread root id (`threadMessageId()`) is only referenced, never sent as a
 *   Message-ID: `threadRoot: true` (the "created" email) gets `References: <root>`, later messages get
 *   `In-Reply-To: <root>` and `References: <root>`. Clients that thread by References (Thunderbird,
 *   Apple Mail, Gmail with the same subject) group them all under that root, which no message has to be.
 */
export function threadHeaders(
  message: { threadKey?: string | undefined; threadRoot?: boolean | undefined },
  fromEmail: string,
  idempotencyKey?: string,
): ThreadHeaders {
  const domain = domainOf(fromEmail);
  const own = idempotencyKey
    ? `<${sha256(idempotencyKey).slice(0, 32)}@${domain}>`
    : `<${randomUUID()}@${domain}>`;
  if (!message.threadKey) return { messageId: own };
  const root = threadMessageId(message.threadKey, fromEmail);
  // The opening message replies to nothing, so no In-Reply-To: some clients show "Re:" or a missing
  // parent for one. References alone makes it a member of the thread.
  if (message.threadRoot) return { messageId: own, references: root };
  return { messageId: own, inReplyTo: root, references: root };
}
