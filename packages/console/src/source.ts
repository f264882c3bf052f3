import type { AlertInput } from '@pytake/notify-core';
import type {
  AlertDetail,
  AlertPage,
  AlertQuery,
  ConsoleAction,
  DigestView,
  NumberedChange,
  Operator,
  OrganizationHealth,
  QueueOverview,
} from './api-types.js';

/**
 * Where the console reads what it shows: the in-process source (`createInProcessSource`), or one
 * that reads what workers keep in Redis. Data only, no HTTP and no operator rules: the console
 * applies the operator's organizations before it asks and after it gets an answer.
 */
export interface ConsoleSource {
  /** Alerts newest first (by last update), one page at a time: never capped, paged by `next`. */
  listAlerts(query: AlertQuery): Promise<AlertPage>;
  /** One alert's page, or undefined when the source does not know it. */
  getAlert(organizationId: string, alertId: string): Promise<AlertDetail | undefined>;
  /** Delivered, failed and dead counts per organization over the last hour and day; `undefined`, every organization. */
  health(organizationIds: readonly string[] | undefined): Promise<OrganizationHealth[]>;
  /**
   * The live channel: every change after the one with id `after` (none: only what happens from
   * now), then each new one as it happens, until `signal` aborts. When the changes after `after` are
   * no longer known, the first one is a `reset`.
   */
  changes(after: string | undefined, signal: AbortSignal): AsyncIterable<NumberedChange>;
  /**
   * Called after the service's `onAction` accepted an action, so that the alert's timeline shows it.
   * Optional: a source that hears of actions another way leaves it out.
   */
  recordAction?(action: ConsoleAction, operator: Operator, at: Date): Promise<void>;
  /**
   * A storm digest and the alerts folded into it, or undefined when the source does not know it.
   * Optional: without it the digests of an alert's page are not links.
   */
  digest?(organizationId: string, digestId: string): Promise<DigestView | undefined>;
  /**
   * The queue's job counts and dead letters (those of `organizationIds` only; `undefined`, every
   * organization). Optional: a source without a queue leaves it out, and the console has no Queue view.
   */
  queue?(organizationIds: readonly string[] | undefined): Promise<QueueOverview>;
  /**
   * Puts one dead letter back in its queue; false when there is none with that id among those of
   * `organizationIds` (`undefined`, every organization). With `queue`.
   */
  retryDeadLetter?(id: string, organizationIds: readonly string[] | undefined): Promise<boolean>;
  /** Retries the dead letters of `organizationIds` (`undefined`, all); returns how many. With `queue`. */
  retryAllDeadLetters?(organizationIds: readonly string[] | undefined): Promise<number>;
  /**
   * Asks for the alert's Slack messages to be edited for `alert` as it is now, whichever process
   * serves the page: called after `onAction` returns the alert. Optional.
   */
  updateAlertMessages?(alert: AlertInput): Promise<void>;
}
