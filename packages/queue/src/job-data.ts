import type { AlertEventType } from '@pytake/notify-core';
import type { MessageRef } from './conversation.js';
import type { TraceCarrier } from './tracing.js';

/** What an event job holds: the event as JSON (dates as ISO strings). */
export interface EventJobData {
  event: unknown;
  /** The enqueuing call's trace context (W3C `traceparent`), when it was traced. */
  trace?: TraceCarrier;
  /** Set when the event failed for good. */
  lastError?: { code: string; message: string };
}

/**
 * What a delivery job holds: references, never an address, a URL or the event itself (stored once
 * per event under `queueKeys().event`). The worker resolves the target's current address from the
 * directory when it sends.
 */
export interface DeliveryJobData {
  /** The event's job id. */
  eventId: string;
  /** The organization, so that the directory lookup need not wait for the event. */
  organizationId: string;
  /** The alert and event type, for records and dead letters even when the event is gone. */
  alertId: string;
  eventType: AlertEventType;
  /** The target's stable identity within its organization. */
  targetId: string;
  /** The trace context of its event's `notify` span, when traced. */
  trace?: TraceCarrier;
  /** Time spent deferred by rate limits, holds and claims so far. */
  deferredMs?: number;
  /** A rate-limit slot reserved for this job. */
  slot?: { generation: number; at: number };
  /**
   * Recipients (their `recipientDigest()`) an SMTP server deferred while it took the others: the
   * next run sends to these alone, as they are in the tenant's list then.
   */
  deferred?: string[];
  /** Recipients refused for good by earlier runs (redacted), for the final record. */
  refused?: string[];
  /** Set when the delivery failed for good. */
  lastError?: { code: string; message: string };
  /** Attempts made in the event job, which tried the delivery before this job was added. */
  attemptsBefore?: number;
  /**
   * A dead letter's event, as JSON: the stored one goes once every target of the event has an
   * outcome, and the letter may be retried after that.
   */
  event?: unknown;
  /** Added only to hold a delivery that failed for good in its event job: its first run fails it. */
  deadOnArrival?: boolean;
  /**
   * Its event's place among the alert's events (`orderScore()`), set when the delivery is in its
   * alert's conversation with the target: it waits for the earlier ones.
   */
  order?: number;
  /** When it first waited for an earlier delivery of its alert (ms since the epoch). */
  orderSince?: number;
  /**
   * Set on a digest job: it sends the storm digest `id` of its target, due at `dueAt` (Redis's
   * clock). Its `eventId` names the digest's own status hash, and its `alertId` is `-`: a digest
   * tells of many alerts.
   */
  digest?: { id: string; dueAt: number };
}

/** What a job of the message-updates queue holds: Web API messages of one alert to edit. */
export interface MessageUpdateJobData {
  organizationId: string;
  alertId: string;
  /** The alert as it is now, as JSON: each message is rendered again for it. */
  alert: unknown;
  /** The messages to edit; all those kept for the alert when absent. */
  messages?: MessageRef[];
}
