import type { NotifyErrorCode } from './errors.js';
import type { AlertEventType } from './events.js';

/**
 * - `delivered`: every recipient was accepted.
 * - `partial`: the message went out, but some recipients were refused for good (see `refused`).
 * - `failed`: nothing went out (see `error`).
 * - `skipped`: not sent on purpose (see `reason`).
 * - `duplicate`: this exact notification was already delivered, so it was not sent again.
 * - `digested`: folded into a digest (see `digestId`) by storm control instead of sent alone. Final,
 *   like the others: the digest's own delivery has a record of its own.
 */
export const DELIVERY_STATUSES = [
  'delivered',
  'partial',
  'failed',
  'skipped',
  'duplicate',
  'digested',
] as const;
/** The outcome of one target of one event, as a {@link DeliveryRecord} states it. */
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

/**
 * Where a queued delivery (`@pytake/notify-queue`) is while it has no outcome yet: waiting for a
 * worker, delayed by a rate limit or hold, waiting to retry after a transient failure, or dead
 * (failed for good, in the dead letters). Beside `DeliveryStatus` so the app and metrics share them.
 */
export const QUEUE_STATES = ['waiting', 'delayed', 'retrying', 'dead'] as const;
/** Where a queued delivery is while it has no outcome yet (see {@link QUEUE_STATES}). */
export type QueueState = (typeof QUEUE_STATES)[number];

/** Why a target was skipped. */
export type SkipReason = 'unknown_organization' | 'disabled' | 'filtered' | 'not_configured' | 'no_route';

/** What happened to one target of one event. Holds no secrets: `target` is redacted. */
export interface DeliveryRecord {
  organizationId: string;
  alertId: string;
  eventType: AlertEventType;
  /** The route's channel kind: `email`, `slack` (webhooks) or `slack-api` (Web API channels). */
  channel: string;
  /** Where it went, safe to log: `o…@acme.com +2`, `hooks.slack.com/…a1b2` or `alerts (C024BE91L)`. */
  target: string;
  status: DeliveryStatus;
  reason?: SkipReason;
  attempts: number;
  durationMs: number;
  providerId?: string;
  /** With `partial`: the recipients the server refused for good, redacted like `target`. */
  refused?: string[];
  error?: { code: NotifyErrorCode; message: string };
  /** With `delivered` or `partial`: what went wrong beside the send (see `DeliveryReceipt.warnings`). */
  warnings?: { code: string; message: string }[];
  idempotencyKey?: string;
  /** With `digested`: the digest this event was folded into. */
  digestId?: string;
  at: Date;
}

/** The outcome of `notify(event)`: one record per target. */
export interface NotificationReport {
  eventType: AlertEventType;
  alertId: string;
  organizationId: string;
  records: DeliveryRecord[];
  /** Counts by status, for a quick look. */
  summary: Record<DeliveryStatus, number>;
}
