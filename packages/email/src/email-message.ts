/** `'ops@acme.com'` or `{ email: 'ops@acme.com', name: 'Ops' }`; the same shape as core's `Recipient`. */
export type EmailAddress = string | { email: string; name?: string | undefined };

/** One email, as `send()` takes it. Core's `EmailDelivery` (what the notifier hands over) is one of these. */
export interface EmailMessage {
  to: EmailAddress | readonly EmailAddress[];
  cc?: EmailAddress | readonly EmailAddress[] | undefined;
  /** Goes into the SMTP envelope only: recipients never see a Bcc header. */
  bcc?: EmailAddress | readonly EmailAddress[] | undefined;
  replyTo?: EmailAddress | undefined;
  /** One line; longer than 250 characters (`emailDefaults.maxSubjectLength`), it is cut, ending in `…`. */
  subject: string;
  html: string;
  /** Plain-text part; with it the message is multipart/alternative. */
  text?: string | undefined;
  /** Extra headers such as `X-PyTake-Alert`. From, To, Cc, Bcc, Subject, Message-ID, the threading headers and the headers the channel sets (`Auto-Submitted`, `X-Auto-Response-Suppress`, `List-Unsubscribe*`) are refused. */
  headers?: Readonly<Record<string, string>> | undefined;
  /**
   * An https URL that unsubscribes the recipients in one POST, without a login (RFC 8058): sent as
   * `List-Unsubscribe: <url>` with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, so that mail
   * providers show their own "Unsubscribe" button. The notifier passes the tenant's `email.unsubscribeUrl`.
   */
  listUnsubscribe?: string | undefined;
  /** Messages with the same key form one thread in mail clients (the notifier passes the alert id). */
  threadKey?: string | undefined;
  /**
   * Marks the message that opens the thread (the "created" email): it references the thread root
   * (`References`) without replying to it (`In-Reply-To`). It still gets its own Message-ID, so two
   * opening messages of one thread (a re-created alert) are never taken for duplicates. @default false
   */
  threadRoot?: boolean | undefined;
}
