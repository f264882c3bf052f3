import type { AlertEvent } from './events.js';

/**
 * What a digest message reports: the alerts one target got during one interval of its storm, each
 * with its latest event. A route's `renderDigest` turns it into one message; the records of the
 * events in it carry `id` as their `digestId`.
 */
export interface AlertDigest {
  /** The digest's id, as in the `digestId` of its events' records. */
  id: string;
  organizationId: string;
  /**
   * The latest event of each alert folded into the digest, in the order the alerts first came. An
   * alert created and resolved within the interval appears once, with its `alert.resolved` event.
   */
  events: AlertEvent[];
  /** When the interval began (the storm's start, or the end of the previous interval). */
  startedAt: Date;
  /** When the interval ended: the time the digest speaks as of ("open for 5 min"). */
  endedAt: Date;
}

/**
 * What a route's `render` is told beside the event and the tenant. Templates accept it as part of
 * their options, so that `render: renderSlackForTenant` works as is.
 */
export interface RenderContext {
  /**
   * Set when a severe event of an alert goes alone during a storm after an earlier digest of the
   * target reported the alert: the id of that digest, so that the message can say where the alert
   * was first reported.
   */
  firstReportedInDigest?: string;
}
