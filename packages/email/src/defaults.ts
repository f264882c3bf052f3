/** Every default of this package in one place. */
export const emailDefaults = {
  /** @default 587 (submission with STARTTLS) */
  port: 587,
  /** The port when `SMTP_USE_SSL` is on and no port is given: implicit TLS lives on 465, not 587. @default 465 */
  sslPort: 465,
  /** @default `'noreply@pytake.com'` */
  fromEmail: 'noreply@pytake.com',
  /** @default 'PyTake' */
  fromName: 'PyTake',
  /** STARTTLS is required: a server that does not offer it fails instead of sending in clear text. @default true */
  useTls: true,
  /** Implicit TLS from the first byte (port 465). @default false */
  useSsl: false,
  /** Connection, greeting and socket timeouts. @default 10 */
  timeoutSeconds: 10,
  /** @default true */
  enabled: true,
  /** Certificate checks stay on unless switched off explicitly. @default true */
  tlsRejectUnauthorized: true,
  /** Pooled SMTP connections, reused across messages. */
  pool: {
    /** @default 5 */
    maxConnections: 5,
    /** Messages per connection before it is replaced. @default 100 */
    maxMessages: 100,
  },
  /**
   * Recipients per SMTP transaction; longer lists are split into several transactions. RFC 5321
   * requires servers to accept at least 100, and many refuse the 101st with 452. @default 100
   */
  maxRecipientsPerTransaction: 100,
  /** Messages in flight at once in `sendBatch()`. @default 5 */
  batchConcurrency: 5,
  /**
   * Characters of a subject; a longer one is cut, ending in `…`. Mail clients show well under 100,
   * and a subject folds onto many header lines: an unbounded one (a runaway alert title) would make
   * a header block of megabytes, which servers refuse or cut. @default 250
   */
  maxSubjectLength: 250,
} as const;
