import { NotifyError, type RetryOptions, redactAddress, retry } from '@pytake/notify-core';
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
  retry: RetryOptions;
  secrets: SmtpSecrets;
}

export interface TransactionsResult {
  /** The most attempts any one transaction took. */
  attempts: number;
  accepted: number;
  /** Refused for good, redacted with `redactAddress()`. */
  refused: string[];
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
// refused the others: retry() then sends a new transaction to just the deferred ones.
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

/**
 * Sends one message to many recipients, at most `maxRecipients` per SMTP transaction (the headers are
 * the same in every copy; only the envelope differs), and reads what the server said about each
 * recipient:
 * - accepted: done, never sent again;
 * - 4xx (deferred): a new transaction to just those, with core `retry()`'s backoff;
 * - 5xx, or 4xx after the last attempt: refused for good.
 * A failure of a transaction itself (abort, auth, timeout, connection after the retries) stops: the
 * later transactions are not tried. Resolves once any recipient accepted the message (the rest are in
 * `refused`): throwing then would make a caller retry the whole send and deliver it twice to everyone
 * who already has it. Throws when none accepted it.
 */
export async function sendInTransactions(input: TransactionsInput): Promise<TransactionsResult> {
  const { mailer, mail, from, maxRecipients, secrets } = input;
  const chunks: string[][] = [];
  for (let i = 0; i < input.recipients.length; i += maxRecipients) {
    chunks.push(input.recipients.slice(i, i + maxRecipients));
  }
  let accepted = 0;
  let attempts = 0;
  const refused: { address: string; error: NotifyError }[] = [];
  // Set by a failure of a transaction itself (abort, auth, timeout or connection after the retries):
  // the transactions after it would meet the same failure, so they are not tried.
  let stopped: NotifyError | undefined;

  for (const chunk of chunks) {
    if (stopped) {
      for (const a of chunk) refused.push({ address: a, error: stopped });
      continue;
    }
    let remaining = chunk;
    let deferredErrors = new Map<string, NotifyError>();
    let chunkAttempts = 0;
    // Sorts the server's per-recipient answers: refused for good (5xx) now, deferred (4xx) for the next attempt.
    const settle = (answers: readonly unknown[] | undefined): string[] => {
      deferredErrors = new Map();
      const deferred: string[] = [];
      for (const answer of answers ?? []) {
        const a = address((answer as RecipientError).recipient);
        if (a === undefined) continue;
        const error = classifySmtpError(answer, secrets);
        if (error.retryable) {
          deferred.push(a);
          deferredErrors.set(key(a), error);
        } else refused.push({ address: a, error });
      }
      return deferred;
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
      }, input.retry);
    } catch (caught) {
      const error = caught instanceof DeferredRecipients ? caught : classifySmtpError(caught, secrets);
      for (const a of remaining) {
        refused.push({ address: a, error: deferredErrors.get(key(a)) ?? error });
      }
      if (!(caught instanceof DeferredRecipients)) stopped = error;
    }
    attempts = Math.max(attempts, chunkAttempts);
  }

  if (accepted > 0) {
    return {
      attempts,
      accepted,
      refused: refused.map((r) => redactAddress(r.address)),
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
  const errors = refused.map((r) => r.error);
  const retryable = errors.some((e) => e.retryable);
  const first = errors.find((e) => e.retryable === retryable) ?? errors[0];
  const reply = first instanceof SmtpError ? first : undefined;
  const reason = reply?.response ?? first?.message ?? 'no reason given';
  const status = reply?.responseCode ? ` (SMTP ${reply.responseCode})` : '';
  const error = new SmtpError(
    `SMTP server ${retryable ? 'deferred or refused' : 'refused'} all ${refused.length} recipient${refused.length === 1 ? '' : 's'}${status}: ${reason}`,
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
