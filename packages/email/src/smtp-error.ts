import { NotifyError, type NotifyErrorCode } from '@pytake/notify-core';

/** What an SmtpError is built from. */
export interface SmtpErrorOptions {
  code: NotifyErrorCode;
  retryable: boolean;
  /** The SMTP reply code, e.g. 421 or 550, when the server answered. */
  responseCode?: number;
  /** The server's reply text, with credentials removed. */
  response?: string;
  /** Nodemailer's error code, e.g. `ECONNECTION`, `ETIMEDOUT`, `EAUTH`. */
  smtpCode?: string;
  /** The SMTP command in flight, e.g. `RCPT TO`. */
  command?: string;
}

/** A failed SMTP delivery, with what the server said. Never carries the password. */
export class SmtpError extends NotifyError {
  readonly responseCode: number | undefined;
  readonly response: string | undefined;
  readonly smtpCode: string | undefined;
  readonly command: string | undefined;

  constructor(message: string, options: SmtpErrorOptions) {
    // No `cause`: nodemailer's own error may hold the AUTH exchange, and a logger that prints causes
    // would print it. What a caller needs from it is copied below, redacted.
    super(message, { code: options.code, retryable: options.retryable });
    this.name = 'SmtpError';
    this.responseCode = options.responseCode;
    this.response = options.response;
    this.smtpCode = options.smtpCode;
    this.command = options.command;
  }
}
