// The shapes the JSON API answers with and the UI reads: one module, imported by both, so that the
// server and the page cannot disagree. Type-only imports, so the UI bundle takes nothing from core.
import type { AlertEventType, AlertStatus, DeliveryStatus, QueueState, Severity } from '@pytake/notify-core';

/** Who is using the console, as the service's `authorize` hook says. */
export interface Operator {
  id: string;
  name?: string;
  /** The organizations this operator may see and act on; left out, all of them. */
  organizations?: readonly string[];
}

/** Every action an operator can take from an alert's page. */
export const ACTION_KINDS = ['acknowledge', 'resolve', 'assign'] as const;
/** An action an operator can take from an alert's page: `acknowledge`, `resolve` or `assign`. */
export type ActionKind = (typeof ACTION_KINDS)[number];

/** What an operator asked for from an alert's page; the service's `onAction` carries it out. */
export interface ConsoleAction {
  kind: ActionKind;
  organizationId: string;
  alertId: string;
  /** With `assign`: who takes the alert (the operator's own id when left out). */
  assignee?: string;
}

/** Where one target is: core's final outcome, or with the queue where its job is. */
export type TargetState = DeliveryStatus | QueueState;

/** One target (an email address, a webhook, a Slack channel) of one event. Redacted as in core's records. */
export interface TargetDelivery {
  /** The route's kind: `email`, `slack` or `slack-api`. */
  channel: string;
  /** As core's records show it: `o…@acme.com +2`, `hooks.slack.com/…a1b2`, `alerts (C024BE91L)`. */
  target: string;
  state: TargetState;
  attempts: number;
  /** With `skipped`: why. */
  reason?: string;
  /** With `failed` or `dead`: core's error code (`timeout`, `rate_limited`, ...). */
  errorCode?: string;
  /** With `digested`: the digest the event was folded into. */
  digestId?: string;
  /** ISO time of this state. */
  at: string;
}

/** An alert as the list shows it. */
export interface AlertSummary {
  organizationId: string;
  alertId: string;
  /** Unknown (left out) while the console has seen only delivery records of the alert, no event. */
  title?: string;
  severity?: Severity;
  status: AlertStatus;
  /** True when its last event is `alert.stale`. */
  stale: boolean;
  lastEventType?: AlertEventType;
  assignee?: string;
  /** ISO time the console first heard of the alert. */
  firstSeenAt: string;
  /** ISO time of the last event, record or action: the list's order, newest first. */
  updatedAt: string;
  /** The latest state of each target, one per channel and target. */
  targets: TargetDelivery[];
}

/** One step of an alert's life: an event the notifier sent, or an action an operator took. */
export interface TimelineEntry {
  id: string;
  kind: 'event' | 'action';
  type: AlertEventType | ActionKind;
  /** ISO time. */
  at: string;
  /** For actions: the operator's name (or id). */
  by?: string;
  assignee?: string;
  /** For events: each target's state for this event. */
  targets: TargetDelivery[];
}

/** A Slack message the Web API posted for the alert (its `ts`, by channel). */
export interface SlackMessageRef {
  /** The channel as records show it: `alerts (C024BE91L)`. */
  channel: string;
  ts: string;
}

/** An alert's page. */
export interface AlertDetail extends AlertSummary {
  /** Oldest first, bounded. */
  timeline: TimelineEntry[];
  /** The storm digests its events were folded into. */
  digestIds: string[];
  slackMessages: SlackMessageRef[];
  /** The subjects of the emails sent for it, when the source knows them. */
  emailSubjects: string[];
}

/** Filters of the alert list; every one optional. */
export interface AlertQuery {
  /** Only these organizations; left out, all (that the operator may see). */
  organizationIds?: readonly string[];
  severity?: Severity;
  status?: AlertStatus;
  stale?: boolean;
  /** Matched case-insensitively against the alert's id, title and organization. */
  search?: string;
  /** The `next` of the page before. */
  cursor?: string;
  limit?: number;
}

/** One page of the alert list, newest first. */
export interface AlertPage {
  alerts: AlertSummary[];
  /** The cursor of the next page; left out on the last one. */
  next?: string;
}

/** Deliveries over one period, by outcome. */
export interface DeliveryCounts {
  /** `delivered` and `partial` (it went out). */
  delivered: number;
  /** Failed attempts that end in a retry or, in process, a failed record. */
  failed: number;
  /** Failed for good and waiting in the queue's dead letters. */
  dead: number;
}

/** The delivery counts of one organization over the last hour and the last day. */
export interface OrganizationHealth {
  organizationId: string;
  lastHour: DeliveryCounts;
  lastDay: DeliveryCounts;
}

/**
 * What the live channel says. `reset` means that the client missed changes (it was away longer than
 * the source keeps them, or the source restarted): it reloads what it shows.
 */
export type LiveChange = { type: 'alert'; alert: AlertSummary } | { type: 'reset' };

/** A live change with the id a client resumes after (`Last-Event-ID`). */
export interface NumberedChange {
  id: string;
  change: LiveChange;
}

/** Every error answer of the API. */
export interface ApiErrorBody {
  error: { code: string; message: string };
}

/** `GET operator`: who the console thinks you are, and whether it takes actions. */
export interface OperatorInfo {
  id: string;
  name?: string;
  actionsEnabled: boolean;
  /** True when the source has a queue: the page offers its Queue view. */
  queueEnabled: boolean;
}

/** The states jobs are counted in, per queue (the queue's `QUEUE_JOB_STATES`). */
export interface QueueJobCountsRow {
  /** The queue's name: `events`, `deliveries-slack`, ... */
  queue: string;
  waiting: number;
  delayed: number;
  active: number;
  /** Failed for good: its dead letters. */
  dead: number;
}

/**
 * A delivery that failed for good, as the queue's dead letters keep it, with nothing more: the
 * target redacted as in records, and the last error as the queue redacted it.
 */
export interface DeadLetterSummary {
  /** The job id: what a retry names. */
  id: string;
  /** `events` (the event could not be planned) or the route kind. */
  queue: string;
  eventId: string;
  organizationId?: string;
  alertId?: string;
  eventType?: AlertEventType;
  /** Redacted, as in records; unknown for an event job. */
  target?: string;
  errorCode: string;
  /** Already redacted by the queue (no address, URL or token). */
  errorMessage: string;
  attempts: number;
  /** ISO time it failed for good. */
  failedAt?: string;
  /** Set when the job's data is not the queue's: it cannot be retried. */
  malformed?: boolean;
}

/** `GET queue`: job counts and the dead letters, newest first. */
export interface QueueOverview {
  /**
   * Jobs per queue and state. They count every organization, so an operator limited to some
   * organizations gets none (left out).
   */
  counts?: QueueJobCountsRow[];
  /** The targets held by a 429 now (every worker waits for them), soonest to end first. */
  holds?: RateLimitHoldSummary[];
  deadLetters: DeadLetterSummary[];
}

/** A target held by a 429, redacted as in the records. */
export interface RateLimitHoldSummary {
  organizationId: string;
  /** The route kind: `email`, `slack` or `slackApi`. */
  route: string;
  target: string;
  /** ISO time the hold ends. */
  until: string;
}

/** `POST dead-letters/retry-all`: how many dead letters went back to their queue. */
export interface RetryAllResult {
  retried: number;
}

/** `GET digests/:org/:digestId`: a storm digest and the alerts folded into it. */
export interface DigestView {
  organizationId: string;
  digestId: string;
  /** The alerts with at least one event folded into it, as the list shows them; bounded. */
  alerts: AlertSummary[];
}
