import { formatZodIssues, ValidationError } from '@pytake/notify-core';
import { z } from 'zod';
import type { EmailMessage } from './email-message.js';

// Headers the channel sets itself. Letting a caller override them would let a template (or whoever
// controls its input) redirect mail, hide recipients or break threading; a second Content-Type or
// MIME-Version makes the body unreadable or lets it be read as something else; Date, Return-Path
// (the receiving server's to set) and Resent-* (a re-sent message's trace) would misreport the origin.
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
  'mime-version',
  'date',
  'return-path',
  // Set on every message (RFC 3834, and Exchange's equivalent): an alert is automatic mail, and a
  // caller must not be able to invite out-of-office replies to it.
  'auto-submitted',
  'x-auto-response-suppress',
  // One-click unsubscribe needs an https List-Unsubscribe next to it (RFC 8058): only
  // `listUnsubscribe` sets it. A custom `List-Unsubscribe` (e.g. a mailto:) stays allowed, unless
  // `listUnsubscribe` is given too (see below).
  'list-unsubscribe-post',
]);
const RESERVED_PREFIXES = ['content-', 'resent-'];
const isReserved = (name: string) => {
  const lower = name.toLowerCase();
  return RESERVED_HEADERS.has(lower) || RESERVED_PREFIXES.some((p) => lower.startsWith(p));
};
/** A header name must leave room for its value on a line (RFC 5322: 998 characters at most). */
const MAX_HEADER_NAME = 76;
/** `List-Unsubscribe: <url>` cannot fold inside the URL, and a header line is 998 characters at most. */
const MAX_UNSUBSCRIBE_URL = 900;
/** RFC 5321 §4.5.3.1.3: a path is at most 256 characters, angle brackets included. */
const MAX_ADDRESS = 254;

// CR or LF in a header ends it and starts another one: header injection.
const noLineBreaks = (v: string) => !/[\r\n]/.test(v);
// RFC 5322 field names: printable US-ASCII except the colon.
const HEADER_NAME = /^[\x21-\x39\x3b-\x7e]+$/;

const email = z
  .email({ message: 'expected an email address' })
  .max(MAX_ADDRESS, { message: `expected an email address of at most ${MAX_ADDRESS} characters` });
const address = z.union([
  email,
  z.object({
    email,
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
    listUnsubscribe: z
      // Checked before z.url(), which trims: the channel sends the value as given, and a trailing
      // CR LF inside `<…>` would end the header. RFC 2369 wants commas in the URL encoded.
      .string()
      .refine((v) => !/[\s<>,]/.test(v), { error: 'must not contain spaces, CR, LF, <, > or commas' })
      .pipe(
        z.url({ protocol: /^https$/, error: 'expected an https URL' }).max(MAX_UNSUBSCRIBE_URL, {
          error: `expected an https URL of at most ${MAX_UNSUBSCRIBE_URL} characters`,
        }),
      )
      .optional(),
    threadKey: z.string().min(1).optional(),
    threadRoot: z.boolean().optional(),
  })
  .superRefine(
    (m, ctx) => {
      if (typeof m?.headers !== 'object' || m.headers === null) return;
      for (const [name, value] of Object.entries(m.headers)) {
        if (!HEADER_NAME.test(name) || name.length > MAX_HEADER_NAME) {
          ctx.addIssue({
            code: 'custom',
            path: ['headers'],
            input: name,
            message: `header names must be printable ASCII without spaces, colons, CR or LF, at most ${MAX_HEADER_NAME} characters`,
          });
        } else if (name.toLowerCase() === 'list-unsubscribe' && m.listUnsubscribe !== undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['headers', name],
            input: value,
            message: 'cannot be given together with listUnsubscribe; use one or the other',
          });
        } else if (isReserved(name)) {
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
