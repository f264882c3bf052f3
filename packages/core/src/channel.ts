/** Per-send options every channel understands. */
export interface SendOptions {
  signal?: AbortSignal;
  /** A stable key for this delivery (the notifier passes org:alert:event:channel:target). */
  idempotencyKey?: string;
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
}

/**
 * A way to deliver a message: it knows how to send, not what an alert looks like.
 * `M` is the channel's message type, e.g. `EmailMessage` or `{ webhookUrl, message }`.
 */
export interface Channel<M> {
  readonly kind: string;
  send(message: M, options?: SendOptions): Promise<DeliveryReceipt>;
  /** False when the channel is switched off or lacks configuration; the notifier then skips it. */
  isConfigured?(): boolean;
}
