import {
  type DeferredRecipient,
  NotifyError,
  type RetryOptions,
  recipientDigest,
  redactAddress,
  retry,
} from '@pytake/notify-core';
import type { SendMailOptions, Transporter } from 'nodemailer';
import { classifySmtpError, type SmtpSecrets } from './classify-error.js';
import { SmtpError } from './smtp-error.js';

export interface TransactionsInput {
  mailer: Transporter;
  /** The message, headers included; its envelope is set here, per transaction. */
  mail: SendMailOptions;
  /** The envelope sender (MAIL FROM). */
  from: string;
  /** Every envelope recipient (To, Cc and Bcc), each once. */
  recipients: readonly string[];
  /** At most this many RCPT TO per transaction. */
  maxRecipients: number;
  /**
   * `false`: one attempt per transaction, and the recipients worth another try later (deferred with
   * 4xx, or cut off by a transient failure) are reported in `deferred` instead of retried.
   */
  retry: RetryOptions | false;
  signal?: AbortSignal | undefined;
  secrets: SmtpSecrets;
}

export interface TransactionsResult {
  /** The most attempts any one transaction took. */
  attempts: number;
  accepted: number;
  /** Refused for good, redacted with `redactAddress()`. */
  refused: string[];
  /** Only with `retry: false`: not delivered yet, worth another try later. */
  deferred: DeferredRecipient[];
  /** How many transactions the recipients were split into. */
  transactions: number;
}

interface NodemailerInfo {
  accepted?: unknown[];
  rejected?: unknown[];
  rejectedErrors?: unknown[];
}

interface RecipientError {
  recipient?: unknown;
  responseCode?: number;
}

// Thrown inside an attempt when the server deferred some recipients (4xx to RCPT TO) and accepted or
// refused the others: retry() then sends a new transaction to just the deferred ones (with one
// attempt, they are reported in `deferred` instead).
class DeferredRecipients extends NotifyError {
  constructor(
    readonly deferred: readonly string[],
    readonly first: NotifyError,
  ) {
    super(
      `SMTP server deferred ${deferred.length} recipient${deferred.length === 1 ? '' : 's'}: ${first.message}`,
      { code: 'transient', retryable: true },
    );
  }
}

function address(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { address?: unknown }).address === 'string'
  ) {
    return (value as { address: string }).address;
  }
  return undefined;
}

const key = (a: string) => a.toLowerCase();

function deferredRecipient(address: string, error: NotifyError): DeferredRecipient {
  // The server's reply to this recipient, or to the transaction that cut it off; none for a dropped connection.
  const responseCode = error instanceof SmtpError ? error.responseCode : undefined;
  return {
    digest: recipientDigest(address),
    display: redactAddress(address),
    ...(responseCode === undefined ? {} : { responseCode }),
  };
}

/**
 * Sends one message to many recipients, at most `maxRecipients` per SMTP transaction (the headers are
 * the same in every copy; only the envelope differs), and reads what the server said about each
 * recipient:
 * - accepted: done, never sent again;
 * - 4xx (deferred): a new transaction to just those, with core `retry()`'s backoff; with
 *   `retry: false`, reported in `deferred` for the caller to retry later;
 * - 5xx, or 4xx after the last attempt: refused for good.
 * A failure of a transaction itself (abort, auth, timeout, connection after the retries) stops: the
 * later transactions are not tried. Resolves once any recipient accepted the message (the rest are in
 * `refused`, or `deferred`): throwing then would make a caller retry the whole send and deliver it
 * twice to everyone who already has it. Throws when none accepted it, except with `retry: false`
 * when some were deferred and the others refused for good: a retry of the whole send could only
 * reach the deferred ones, which `deferred` names.
 */
export async function sendInTransactions(input: TransactionsInput): Promise<TransactionsResult> {
  const { mailer, mail, from, maxRecipients, secrets, signal } = input;
  const oneAttempt = input.retry === false;
  // One attempt is core retry() with a single try: the error comes out as it was thrown, and an
  // aborted signal is honoured the same way.
  const retryOptions: RetryOptions =
    input.retry === false ? { maxAttempts: 1, signal } : { ...input.retry, signal };
  const chunks: string[][] = [];
  for (let i = 0; i < input.recipients.length; i += maxRecipients) {
    chunks.push(input.recipients.slice(i, i + maxRecipients));
  }
  let accepted = 0;
  let attempts = 0;
  const refused: { address: string; error: NotifyError }[] = [];
  const deferred: { address: string; error: NotifyError }[] = [];
  // Not delivered by this send. With one attempt, what may work later goes back to the caller;
  // otherwise retry() has already made the last attempt.
  const undelivered = (address: string, error: NotifyError) =>
    (oneAttempt && error.retryable ? deferred : refused).push({ address, error });
  // Set by a failure of a transaction itself (abort, auth, timeout or connection after the retries):
  // the transactions after it would meet the same failure, so they are not tried.
  let stopped: NotifyError | undefined;

  for (const chunk of chunks) {
    if (stopped) {
      for (const a of chunk) undelivered(a, stopped);
      continue;
    }
    let remaining = chunk;
    let deferredErrors = new Map<string, NotifyError>();
    let chunkAttempts = 0;
    // Sorts the server's per-recipient answers: refused for good (5xx) now, deferred (4xx) for the next attempt.
    const settle = (answers: readonly unknown[] | undefined): string[] => {
      deferredErrors = new Map();
      const again: string[] = [];
      for (const answer of answers ?? []) {
        const a = address((answer as RecipientError).recipient);
        if (a === undefined) continue;
        const error = classifySmtpError(answer, secrets);
        if (error.retryable) {
          again.push(a);
          deferredErrors.set(key(a), error);
        } else refused.push({ address: a, error });
      }
      return again;
    };
    try {
      await retry(async ({ signal }) => {
        chunkAttempts++;
        let info: NodemailerInfo;
        try {
          info = (await mailer.sendMail({
            ...mail,
            envelope: { from, to: remaining },
            signal,
          })) as NodemailerInfo;
        } catch (error) {
          const e = error as { code?: string; rejectedErrors?: unknown[] };
          // Every recipient of this transaction refused: nodemailer throws, with each refusal listed.
          if (e?.code !== 'EENVELOPE' || !Array.isArray(e.rejectedErrors) || !e.rejectedErrors.length) {
            throw classifySmtpError(error, secrets);
          }
          remaining = settle(e.rejectedErrors);
          if (remaining.length)
            throw new DeferredRecipients(remaining, deferredErrors.get(key(remaining[0]!))!);
          return;
        }
        // A transport that does not speak SMTP (stream, JSON, SES) reports no per-recipient answers:
        // its success covers every recipient it was given.
        if (!Array.isArray(info?.accepted)) {
          accepted += remaining.length;
          remaining = [];
          return;
        }
        accepted += info.accepted.length;
        remaining = settle(info.rejectedErrors);
        if (remaining.length)
          throw new DeferredRecipients(remaining, deferredErrors.get(key(remaining[0]!))!);
      }, retryOptions);
    } catch (caught) {
      const error = caught instanceof DeferredRecipients ? caught : classifySmtpError(caught, secrets);
      if (!(caught instanceof DeferredRecipients)) stopped = error;
      for (const a of remaining) undelivered(a, deferredErrors.get(key(a)) ?? error);
    }
    attempts = Math.max(attempts, chunkAttempts);
  }

  if (accepted > 0 || (!stopped && refused.length > 0 && deferred.length > 0)) {
    return {
      attempts,
      accepted,
      refused: refused.map((r) => redactAddress(r.address)),
      deferred: deferred.map((d) => deferredRecipient(d.address, d.error)),
      transactions: chunks.length,
    };
  }
  // Nothing went out. A failure of the transaction itself (auth, timeout, abort) says more than the
  // refusals it caused.
  if (stopped) {
    // retry() set it: 0 when the signal was already aborted and nothing was tried.
    stopped.attempts ??= Math.max(attempts, 1);
    throw stopped;
  }
  const all = [...refused, ...deferred];
  const errors = all.map((r) => r.error);
  const retryable = errors.some((e) => e.retryable);
  const first = errors.find((e) => e.retryable === retryable) ?? errors[0];
  const reply = first instanceof SmtpError ? first : undefined;
  const reason = reply?.response ?? first?.message ?? 'no reason given';
  const status = reply?.responseCode ? ` (SMTP ${reply.responseCode})` : '';
  const error = new SmtpError(
    `SMTP server ${retryable ? 'deferred or refused' : 'refused'} all ${all.length} recipient${all.length === 1 ? '' : 's'}${status}: ${reason}`,
    {
      code: retryable ? 'transient' : 'permanent',
      retryable,
      responseCode: reply?.responseCode,
      response: reply?.response,
      smtpCode: 'EENVELOPE',
      command: 'RCPT TO',
    },
  );
  error.attempts = Math.max(attempts, 1);
  throw error;
}
