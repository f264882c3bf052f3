import {
  type BatchOptions,
  type BatchResult,
  type Channel,
  ConfigError,
  type DeliveryReceipt,
  formatZodIssues,
  isNotifyError,
  type NotifyError,
  type RetryOptions,
  retryOptionsSchema,
  runBatch,
  type SendOptions,
} from '@pytake/notify-core';
import { createTransport, type SendMailOptions, type Transporter } from 'nodemailer';
import { z } from 'zod';
import { classifySmtpError, smtpSecrets } from './classify-error.js';
import { resolveSmtpConfig, type SmtpConfig, type SmtpConfigInput, type SmtpDkimConfig } from './config.js';
import { emailDefaults } from './defaults.js';
import type { EmailAddress, EmailMessage } from './email-message.js';
import { envelopeRecipients } from './envelope-recipients.js';
import { capDisplayName, capText, foldableHeaderText } from './fold-header.js';
import { sendInTransactions } from './send-in-transactions.js';
import { threadHeaders } from './threading.js';
import { validateEmailMessage } from './validate-message.js';

/** Where the channel reports what it does. Messages never contain the password. */
export interface EmailLogger {
  /** Something worth knowing happened, e.g. the pool connected. */
  info(message: string, meta?: Record<string, unknown>): void;
  /** Something went wrong that the channel works around, e.g. a retry. */
  warn(message: string, meta?: Record<string, unknown>): void;
  /** A message could not be sent. */
  error(message: string, meta?: Record<string, unknown>): void;
}

/** How the channel pools its SMTP connections. */
export interface EmailPoolOptions {
  /** @default 5 */
  maxConnections?: number;
  /** Messages per connection before it is replaced. @default 100 */
  maxMessages?: number;
  /**
   * Messages per second across the pool; unlimited when unset. A `send()` with `rateLimit: false`
   * (a queue worker, whose limit is shared in Redis) goes over a second pool without this limit.
   */
  rateLimit?: number;
}

/** `SmtpConfig` without its secrets: what `channel.config` shows. */
export type PublicSmtpConfig = Omit<SmtpConfig, 'password' | 'dkim'> & {
  dkim?: Omit<SmtpDkimConfig, 'privateKey'>;
};

/** Options of `createEmailChannel`, besides the SMTP configuration. */
export interface EmailChannelOptions {
  /** A nodemailer Transporter to send with instead of the one built from `config` (the caller closes it). */
  transport?: Transporter;
  /**
   * Pooled connections; `false` opens one connection per message.
   * @default `{ maxConnections: 5, maxMessages: 100 }` (`emailDefaults.pool`)
   */
  pool?: EmailPoolOptions | false;
  /**
   * How failed sends are retried (core `retry()`).
   * @default core `retryDefaults`: 3 attempts, 1 s then 2 s backoff with full jitter
   */
  retry?: RetryOptions;
  /** @default silent */
  logger?: EmailLogger;
  /**
   * At most this many recipients (To, Cc and Bcc together) per SMTP transaction; a longer list is sent
   * as several transactions of the same message (same headers, same Message-ID), each to a part of the
   * envelope. 100 is the limit RFC 5321 asks servers to accept at least, and what most enforce.
   * @default 100 (`emailDefaults.maxRecipientsPerTransaction`)
   */
  maxRecipientsPerTransaction?: number;
}

/** Options of `EmailChannel.sendBatch`. */
export interface EmailBatchOptions extends BatchOptions {
  /** Passed to each `send()`; one key per message, by index. */
  idempotencyKey?: (message: EmailMessage, index: number) => string | undefined;
}

/** The answer of `EmailChannel.verify`: `ok`, or the NotifyError the SMTP server gave. */
export type VerifyResult = { ok: true } | { ok: false; error: NotifyError };

/** Sends alert emails over SMTP; made by `createEmailChannel`. */
export interface EmailChannel extends Channel<EmailMessage> {
  readonly kind: 'email';
  /** The resolved configuration; the password and the DKIM private key are left out. */
  readonly config: Readonly<PublicSmtpConfig>;
  /** True when email is enabled and a host is set (or a transport was given). */
  isConfigured(): boolean;
  /**
   * Sends one email, retrying transient SMTP failures. Rejects with an SmtpError (or another NotifyError)
   * when it cannot be delivered.
   */
  send(message: EmailMessage, options?: SendOptions): Promise<DeliveryReceipt>;
  /**
   * Sends many messages over the pool, `concurrency` at a time, pulling lazily from the (async)
   * iterable. Never rejects for a failed message: each gets `{ ok, value | error }`, in input order.
   */
  sendBatch(
    messages: Iterable<EmailMessage> | AsyncIterable<EmailMessage>,
    options?: EmailBatchOptions,
  ): Promise<BatchResult<DeliveryReceipt>[]>;
  /** Connects and authenticates. Never throws. */
  verify(): Promise<VerifyResult>;
  /** Closes pooled connections. */
  close(): void;
}

const finite = z.number().refine(Number.isFinite, { message: 'expected a finite number' });
const channelOptionsSchema = z.object({
  // The same bounds as every channel's `retry` (core): whole attempts, waits that fit a timer.
  retry: retryOptionsSchema,
  maxRecipientsPerTransaction: z.number().int().min(1).max(10_000).optional(),
});

// NaN slips through arithmetic silently: `maxAttempts: NaN` would retry for ever, a NaN delay would
// not wait at all. So every number is checked here, when the channel is created.
function parseChannelOptions(options: EmailChannelOptions): void {
  const result = channelOptionsSchema.safeParse(
    { retry: options.retry, maxRecipientsPerTransaction: options.maxRecipientsPerTransaction },
    { reportInput: true },
  );
  if (!result.success) {
    throw new ConfigError('Invalid email channel options', formatZodIssues(result.error));
  }
}

const poolSchema = z.object({
  maxConnections: z.number().int().min(1).max(1000).optional(),
  // Infinity means "never replace a connection"; every other value is a whole number of messages.
  maxMessages: z
    .unknown()
    .refine((v) => v === Number.POSITIVE_INFINITY || (Number.isInteger(v) && (v as number) >= 1), {
      message: 'expected a whole number of messages >= 1, or Infinity',
    })
    .optional(),
  rateLimit: finite.pipe(z.number().positive()).optional(),
});

function parsePoolOptions(pool: EmailPoolOptions | false | undefined): EmailPoolOptions | false {
  if (pool === false) return false;
  const result = poolSchema.safeParse(pool ?? {}, { reportInput: true });
  if (!result.success) {
    throw new ConfigError(
      'Invalid email channel options',
      formatZodIssues(result.error).map((i) => ({ ...i, path: i.path ? `pool.${i.path}` : 'pool' })),
    );
  }
  return result.data as EmailPoolOptions;
}

/**
 * On every message: alerts are automatic mail. `Auto-Submitted` (RFC 3834) tells autoresponders not
 * to answer; Exchange and Outlook read `X-Auto-Response-Suppress` instead. Without them every
 * out-of-office reply lands in the From mailbox, one per alert.
 */
const automaticMailHeaders = {
  'Auto-Submitted': 'auto-generated',
  'X-Auto-Response-Suppress': 'All',
} as const;

/**
 * RFC 8058 one-click unsubscribe. `prepared` keeps nodemailer from encoding or folding the URL; the
 * URL was checked (https, no spaces or angle brackets, at most 900 characters) by validateEmailMessage().
 * With DKIM on, nodemailer signs both headers, as RFC 8058 asks.
 */
function listUnsubscribeHeaders(url: string) {
  return {
    'List-Unsubscribe': { prepared: true, value: `<${url}>` },
    'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
  };
}

const silent: EmailLogger = { info() {}, warn() {}, error() {} };

function toAddress(a: EmailAddress): string | { address: string; name: string } {
  return typeof a === 'string' ? a : a.name ? { address: a.email, name: capDisplayName(a.name) } : a.email;
}
function toAddresses(list: EmailAddress | readonly EmailAddress[] | undefined) {
  if (list === undefined) return undefined;
  const all = (Array.isArray(list) ? list : [list]) as readonly EmailAddress[];
  return all.length ? all.map(toAddress) : undefined;
}

function buildTransport(config: SmtpConfig, pool: EmailPoolOptions | false): Transporter {
  // Rounded up: nodemailer reads 0 as "use my default" (minutes), so a tiny timeout must not become 0.
  const timeoutMs = Math.ceil(config.timeoutSeconds * 1000);
  const common = {
    host: config.host,
    port: config.port,
    // `secure` is implicit TLS from the first byte; STARTTLS is `requireTLS`. Two different settings:
    // SMTP_USE_SSL never means STARTTLS.
    secure: config.useSsl,
    requireTLS: config.useTls,
    auth: config.user ? { user: config.user, pass: config.password } : undefined,
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    tls: { rejectUnauthorized: config.tlsRejectUnauthorized },
    // nodemailer signs each message as it streams out (relaxed/relaxed, rsa-sha256, List-Unsubscribe
    // and List-Unsubscribe-Post among the signed headers); an injected transport signs as it was built.
    ...(config.dkim ? { dkim: { ...config.dkim } } : {}),
  };
  if (pool === false) return createTransport(common);
  return createTransport({
    ...common,
    pool: true,
    maxConnections: pool.maxConnections ?? emailDefaults.pool.maxConnections,
    maxMessages: pool.maxMessages ?? emailDefaults.pool.maxMessages,
    ...(pool.rateLimit ? { rateLimit: pool.rateLimit, rateDelta: 1000 } : {}),
  }) as unknown as Transporter;
}

/**
 * The SMTP channel: validates, threads, sends over a pooled nodemailer transport with core `retry()`,
 * and classifies every failure as a NotifyError. The transport is built on first use.
 * @example
 * ```ts
 * import { createEmailChannel, loadSmtpConfig } from '@pytake/notify-email';
 *
 * const email = createEmailChannel(loadSmtpConfig()); // SMTP_HOST, SMTP_PORT, ...
 * const receipt = await email.send({
 *   to: 'ops@acme.com',
 *   subject: '[HIGH] Disk almost full on db-1',
 *   html: '<p>Disk <b>/var</b> on db-1 is 93% full.</p>',
 *   text: 'Disk /var on db-1 is 93% full.',
 * });
 * email.close();
 * ```
 */
export function createEmailChannel(config: SmtpConfigInput, options: EmailChannelOptions = {}): EmailChannel {
  const resolved = resolveSmtpConfig(config);
  const secrets = smtpSecrets(resolved.user, resolved.password);
  const given = options.logger ?? silent;
  // A logger that throws must not turn a delivered email into a failed send (and a retried duplicate).
  const guard =
    (level: keyof EmailLogger) =>
    (message: string, meta?: Record<string, unknown>): void => {
      try {
        given[level](message, meta);
      } catch {
        // ignored on purpose, see above
      }
    };
  const logger: EmailLogger = { info: guard('info'), warn: guard('warn'), error: guard('error') };
  const pool = parsePoolOptions(options.pool);
  parseChannelOptions(options);
  const maxRecipients = options.maxRecipientsPerTransaction ?? emailDefaults.maxRecipientsPerTransaction;
  let transport: Transporter | undefined = options.transport;
  // For `rateLimit: false` when the pool has a rate limit: nodemailer counts every message of a pool
  // against its limit and cannot let one through, so those sends get a pool of their own, built on
  // the first such send. An injected transport's limits are the caller's and stay as they are.
  let unlimited: Transporter | undefined;
  const from = { name: capDisplayName(resolved.fromName), address: resolved.fromEmail };
  const { password: _password, dkim, ...rest } = resolved;
  const publicConfig: PublicSmtpConfig = {
    ...rest,
    ...(dkim ? { dkim: { domainName: dkim.domainName, keySelector: dkim.keySelector } } : {}),
  };

  const isConfigured = () =>
    resolved.enabled && (options.transport !== undefined || resolved.host !== undefined);

  function transporter(rateLimit?: false): Transporter {
    if (!resolved.enabled) {
      throw new ConfigError('Email is disabled (EMAIL_ENABLED=false): nothing was sent');
    }
    if (!transport && !resolved.host) {
      throw new ConfigError('SMTP_HOST is not set: set it to your SMTP server to send email');
    }
    if (rateLimit === false && pool && pool.rateLimit && !options.transport) {
      unlimited ??= buildTransport(resolved, { ...pool, rateLimit: undefined });
      return unlimited;
    }
    transport ??= buildTransport(resolved, pool);
    return transport;
  }

  async function send(message: EmailMessage, sendOptions: SendOptions = {}): Promise<DeliveryReceipt> {
    let mailer: Transporter;
    let recipients: string[];
    try {
      validateEmailMessage(message);
      mailer = transporter(sendOptions.rateLimit);
      recipients = envelopeRecipients(message, sendOptions.onlyRecipients);
    } catch (error) {
      // Nothing went out: say so, rather than leave the count to a caller's `?? 1`.
      if (isNotifyError(error)) error.attempts = 0;
      throw error;
    }
    if (!recipients.length) {
      // `onlyRecipients` named none of the message's recipients (they were removed from the tenant
      // since the first delivery): nothing is left to send, and nothing failed.
      logger.info('email not sent: no recipient is left', {
        onlyRecipients: sendOptions.onlyRecipients?.length,
      });
      return { attempts: 0, durationMs: 0 };
    }
    const thread = threadHeaders(message, resolved.fromEmail, sendOptions.idempotencyKey);
    // Built once: every attempt carries the same Message-ID, so a retry after an ambiguous failure
    // (the server took the message but the connection dropped before its reply) can be deduplicated.
    const mail: SendMailOptions = {
      from,
      to: toAddresses(message.to),
      cc: toAddresses(message.cc),
      bcc: toAddresses(message.bcc),
      replyTo: message.replyTo ? toAddress(message.replyTo) : undefined,
      // Capped, then folded here because nodemailer leaves a long run without spaces on one line
      // (RFC 5322: 998 at most).
      subject: foldableHeaderText(capText(message.subject, emailDefaults.maxSubjectLength)),
      html: message.html,
      text: message.text,
      headers: {
        ...(message.headers
          ? Object.fromEntries(Object.entries(message.headers).map(([k, v]) => [k, foldableHeaderText(v)]))
          : {}),
        ...automaticMailHeaders,
        ...(message.listUnsubscribe ? listUnsubscribeHeaders(message.listUnsubscribe) : {}),
      },
      messageId: thread.messageId,
      inReplyTo: thread.inReplyTo,
      references: thread.references,
    };
    const started = performance.now();
    let result: Awaited<ReturnType<typeof sendInTransactions>>;
    try {
      result = await sendInTransactions({
        mailer,
        mail,
        from: resolved.fromEmail,
        recipients,
        maxRecipients,
        secrets,
        signal: sendOptions.signal ?? options.retry?.signal,
        retry:
          sendOptions.retry === false
            ? false
            : {
                ...options.retry,
                onRetry: (info) => {
                  logger.warn('email send failed, retrying', {
                    messageId: thread.messageId,
                    attempt: info.attempt,
                    delayMs: info.delayMs,
                    code: info.error.code,
                    error: info.error.message,
                  });
                  options.retry?.onRetry?.(info);
                },
              },
      });
    } catch (caught) {
      const error = classifySmtpError(caught, secrets);
      error.attempts ??= 1;
      logger.error('email send failed', {
        messageId: thread.messageId,
        attempts: error.attempts,
        code: error.code,
        error: error.message,
      });
      throw error;
    }
    const receipt: DeliveryReceipt = {
      attempts: result.attempts,
      durationMs: Math.round(performance.now() - started),
      providerId: thread.messageId,
      ...(result.refused.length ? { refused: result.refused } : {}),
      ...(result.deferred.length ? { deferred: result.deferred } : {}),
    };
    const meta = {
      messageId: thread.messageId,
      attempts: result.attempts,
      durationMs: receipt.durationMs,
      recipients: recipients.length,
      transactions: result.transactions,
      refused: result.refused.length,
      deferred: result.deferred.length,
    };
    if (result.refused.length || result.deferred.length) {
      logger.warn('email sent, but some recipients were refused or deferred', meta);
    } else logger.info('email sent', meta);
    return receipt;
  }

  async function verify(): Promise<VerifyResult> {
    try {
      await transporter().verify();
      return { ok: true };
    } catch (caught) {
      const error = classifySmtpError(caught, secrets);
      logger.warn('email verify failed', { code: error.code, error: error.message });
      return { ok: false, error };
    }
  }

  return {
    kind: 'email',
    config: publicConfig,
    isConfigured,
    send,
    sendBatch: async (messages, batchOptions = {}) => {
      const concurrency = batchOptions.concurrency ?? emailDefaults.batchConcurrency;
      // `Math.max(1, NaN)` is NaN: a NaN concurrency would start no worker and settle nothing.
      const checked = z.number().int().min(1).max(1000).safeParse(concurrency, { reportInput: true });
      if (!checked.success) {
        throw new ConfigError(
          'Invalid sendBatch() options',
          formatZodIssues(checked.error).map((i) => ({ ...i, path: 'concurrency' })),
        );
      }
      return runBatch(
        messages,
        (message, index) =>
          send(message, {
            signal: batchOptions.signal,
            idempotencyKey: batchOptions.idempotencyKey?.(message, index),
          }),
        {
          concurrency,
          signal: batchOptions.signal,
          onProgress: batchOptions.onProgress,
        },
      );
    },
    verify,
    close() {
      // An injected transport belongs to the caller: leave it open, and keep sending with it, since
      // forgetting it would make the next send() build one from `config` (or fail for want of a host).
      if (transport && transport !== options.transport) transport.close();
      unlimited?.close();
      transport = options.transport;
      unlimited = undefined;
    },
  };
}
