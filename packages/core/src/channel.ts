import type { Severity } from './alert.js';

/** Per-send options every channel understands. */
export interface SendOptions {
  signal?: AbortSignal;
  /** A stable key for this delivery (the notifier passes org:alert:event:channel:target). */
  idempotencyKey?: string;
  /**
   * `false`: make exactly one attempt and throw its error as is. A queue worker sets it, because
   * the queue retries the job (with core's backoff) and a second retry loop inside would multiply
   * the attempts and hold the job's slot through the waits.
   */
  retry?: false;
  /**
   * `false`: take no slot of the channel's own rate limiter. A queue worker sets it, because every
   * worker shares one limit in Redis; a limiter per process would throttle a second time.
   */
  rateLimit?: false;
  /**
   * Send only to the recipients whose `recipientDigest()` is listed (an email channel; others
   * ignore it): a retry of a delivery that some recipients deferred goes to those alone, so that
   * the others do not get the message twice.
   */
  onlyRecipients?: readonly string[];
  /**
   * The severity of the alert being delivered (the delivery step passes it), so that a channel that
   * queues messages may send urgent ones first (the Slack channels' `rateLimit.priorityAtOrAbove`).
   * Channels that do not queue (email) ignore it.
   */
  severity?: Severity;
}

/**
 * A recipient that the provider deferred (an SMTP 4xx for one address, such as a greylisting `451`)
 * while the send was made with `retry: false`: not delivered yet, worth trying again later.
 */
export interface DeferredRecipient {
  /** `recipientDigest()` of the address: what a queue job may keep. */
  digest: string;
  /** The address redacted with `redactAddress()`, for records and logs. */
  display: string;
  /** The provider's response code, e.g. `451`. */
  responseCode?: number;
}

/** What a successful delivery reports. */
export interface DeliveryReceipt {
  /** How many attempts it took (1 when the first one went through). */
  attempts: number;
  durationMs: number;
  /** The provider's id for the message: SMTP Message-ID, Slack `ts`, ... */
  providerId?: string;
  /**
   * Recipients the provider refused for good while it accepted others (an SMTP server answering
   * 550 for one address), already redacted with `redactAddress()`. Non-empty makes the record
   * `partial`. A channel whose every recipient was refused throws instead.
   */
  refused?: string[];
  /**
   * Only with `retry: false`: recipients the provider deferred while it accepted or refused the
   * others. The caller retries them later with `onlyRecipients`. (A channel that retries itself
   * retries them in its own loop and never reports them here.)
   */
  deferred?: DeferredRecipient[];
  /**
   * What went wrong beside a delivery that went out, already free of secrets: e.g. a Slack thread's
   * parent that could not be edited when its alert resolved (`parent_update_failed`). The record
   * keeps them and stays `delivered`: the people were told, and a retry would tell them twice.
   */
  warnings?: DeliveryWarning[];
}

/** One thing that went wrong beside a delivery that went out (`DeliveryReceipt.warnings`). */
export interface DeliveryWarning {
  /** What failed, e.g. `parent_update_failed`. */
  code: string;
  /** Why, e.g. the provider's error code `message_not_found`. */
  message: string;
}

/**
 * A way to deliver a message: it knows how to send, not what an alert looks like.
 * `M` is the channel's message type, e.g. `EmailMessage` or `{ webhookUrl, message }`.
 */
export interface Channel<M> {
  readonly kind: string;
  /**
   * Sends one message. Rejects with a NotifyError when it cannot be delivered; `retryable` says whether a
   * later try may succeed.
   */
  send(message: M, options?: SendOptions): Promise<DeliveryReceipt>;
  /** False when the channel is switched off or lacks configuration; the notifier then skips it. */
  isConfigured?(): boolean;
}
