import { formatZodIssues, ValidationError } from '@pytake/notify-core';
import { z } from 'zod';
import type { EmailMessage } from './email-message.js';

// Headers the channel sets itself. Letting a caller override them would let a template (or whoever
// controls its input) redirect mail, hide recipients or break threading.
const RESERVED_HEADERS = new Set([
  'from',
  'sender',
  'to',
  'cc',
  'bcc',
  'reply-to',
  'subject',
  'message-id',
  'in-reply-to',
  'references',
]);

// CR or LF in a header ends it and starts another one: header injection.
const noLineBreaks = (v: string) => !/[\r\n]/.test(v);
// RFC 5322 field names: printable US-ASCII except the colon.
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

const address = z.union([
  z.email({ message: 'expected an email address' }),
  z.object({
    email: z.email({ message: 'expected an email address' }),
    name: z.string().refine(noLineBreaks, { message: 'must not contain CR or LF' }).optional(),
  }),
]);
const addresses = z.union([address, z.array(address)]);

const messageSchema = z
  .object({
    to: addresses,
    cc: addresses.optional(),
    bcc: addresses.optional(),
    replyTo: address.optional(),
    subject: z
      .string()
      .min(1, { message: 'expected a non-empty subject' })
      .refine(noLineBreaks, { message: 'must not contain CR or LF' }),
    html: z.string(),
    text: z.string().optional(),
    headers: z.record(z.string(), z.string()).optional(),
    threadKey: z.string().min(1).optional(),
    threadRoot: z.boolean().optional(),
  })
  .superRefine(
    (m, ctx) => {
      if (typeof m?.headers !== 'object' || m.headers === null) return;
      for (const [name, value] of Object.entries(m.headers)) {
        if (!HEADER_NAME.test(name)) {
          ctx.addIssue({
            code: 'custom',
            path: ['headers'],
            input: name,
            message: 'header names must be printable ASCII without spaces, colons, CR or LF',
          });
        } else if (RESERVED_HEADERS.has(name.toLowerCase())) {
          ctx.addIssue({
            code: 'custom',
            path: ['headers', name],
            input: value,
            message: `${name} is set by the channel and cannot be overridden; use the message fields instead`,
          });
        } else if (typeof value === 'string' && !noLineBreaks(value)) {
          ctx.addIssue({
            code: 'custom',
            path: ['headers', name],
            input: value,
            message: 'must not contain CR or LF',
          });
        }
      }
    },
    { when: () => true },
  );

/** Checks a message before anything is sent; throws a ValidationError that lists every bad field. */
export function validateEmailMessage(message: EmailMessage): void {
  const result = messageSchema.safeParse(message, { reportInput: true });
  const issues = result.success ? [] : formatZodIssues(result.error);
  // Outside the schema: a zod refinement would append the whole message as the "got" value.
  const count = (v: unknown) => (v === undefined ? 0 : Array.isArray(v) ? v.length : 1);
  // `?.`: a caller in plain JavaScript may pass null, which deserves this error, not a TypeError.
  if (count(message?.to) + count(message?.cc) + count(message?.bcc) === 0) {
    issues.push({ path: 'to', message: 'expected at least one recipient in to, cc or bcc' });
  }
  if (issues.length) throw new ValidationError('Invalid email message', issues);
}
