import { formatZodIssues, recipientDigest, ValidationError } from '@pytake/notify-core';
import { z } from 'zod';
import type { EmailAddress, EmailMessage } from './email-message.js';

const sendOptionsSchema = z.object({ onlyRecipients: z.array(z.string()).optional() });

/**
 * Every envelope recipient once (compared without case), in the order To, Cc, Bcc; with `only`
 * (core `SendOptions.onlyRecipients`), just those whose `recipientDigest()` is listed.
 *
 * `only` narrows the envelope (RCPT TO) and nothing else: the To and Cc headers stay the message's
 * whole lists, the way a second delivery of the same message to one of its recipients looks. Each
 * recipient sees the message as the others got it, with the same Message-ID.
 */
export function envelopeRecipients(message: EmailMessage, only?: readonly string[]): string[] {
  // Checked because a caller in plain JavaScript may pass one digest as a string, whose characters
  // would match no recipient: the message would be dropped without a word.
  const checked = sendOptionsSchema.safeParse({ onlyRecipients: only }, { reportInput: true });
  if (!checked.success) throw new ValidationError('Invalid send options', formatZodIssues(checked.error));
  const wanted = only ? new Set(only) : undefined;
  const seen = new Set<string>();
  const out: string[] = [];
  for (const list of [message.to, message.cc, message.bcc]) {
    if (list === undefined) continue;
    for (const a of (Array.isArray(list) ? list : [list]) as readonly EmailAddress[]) {
      const email = typeof a === 'string' ? a : a.email;
      if (seen.has(email.toLowerCase())) continue;
      seen.add(email.toLowerCase());
      if (wanted && !wanted.has(recipientDigest(email))) continue;
      out.push(email);
    }
  }
  return out;
}
