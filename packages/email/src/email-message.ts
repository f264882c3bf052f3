/** `'ops@acme.com'` or `{ email: 'ops@acme.com', name: 'Ops' }`; the same shape as core's `Recipient`. */
export type EmailAddress = string | { email: string; name?: string | undefined };

/** One email, as `send()` takes it. Core's `EmailDelivery` (what the notifier hands over) is one of these. */
export interface EmailMessage {
  to: EmailAddress | readonly EmailAddress[];
  cc?: EmailAddress | readonly EmailAddress[] | undefined;
  /** Goes into the SMTP envelope only: recipients never see a Bcc header. */
  bcc?: EmailAddress | readonly EmailAddress[] | undefined;
  replyTo?: EmailAddress | undefined;
  subject: string;
  html: string;
  /** Plain-text part; with it the message is multipart/alternative. */
  text?: string | undefined;
  /** Extra headers such as `X-PyTake-Alert`. From, To, Cc, Bcc, Subject, Message-ID and the threading headers are refused. */
  headers?: Readonly<Record<string, string>> | undefined;
  /** Messages with the same key form one thread in mail clients (the notifier passes the alert id). */
  threadKey?: string | undefined;
  /**
   * Marks the message that opens the thread: it takes the thread's Message-ID itself. Others with
   * the same `threadKey` reply to it. @default false
   */
  threadRoot?: boolean | undefined;
}
