import { createHash, randomUUID } from 'node:crypto';

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
 * - `threadRoot: true`: the message takes the thread Message-ID itself (the "created" email).
 * - Otherwise, with a `threadKey`: its own Message-ID, plus `In-Reply-To` and `References` pointing at
 *   the thread root. Mail clients group these under the root even if the root was never received.
 * - With an `idempotencyKey`, a non-root Message-ID is derived from it, so that a redelivery of the
 *   same notification carries the same Message-ID and the receiving side can drop the duplicate.
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
  if (message.threadRoot) return { messageId: root };
  return { messageId: own, inReplyTo: root, references: root };
}
