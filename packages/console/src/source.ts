import type {
  AlertDetail,
  AlertPage,
  AlertQuery,
  ConsoleAction,
  NumberedChange,
  Operator,
  OrganizationHealth,
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
}
