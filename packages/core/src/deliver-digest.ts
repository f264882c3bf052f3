import type { AlertDigest } from './alert-digest.js';
import { type DeliverTargetOptions, type DeliveryOutcome, deliverTarget } from './deliver-target.js';
import type { DeliveryRecord } from './delivery-record.js';
import { NotifyError } from './errors.js';
import { digestDeliveryKey, type PlannedTarget } from './plan-targets.js';
import { recordBase } from './records.js';
import type { TenantConfig } from './tenant.js';

/** An event folded into a digest, as its record names it. */
export type FoldedEvent = Pick<DeliveryRecord, 'alertId' | 'eventType'>;

/**
 * What `deliverDigest` needs: the digest, the events folded into it, and the rest of a `deliverTarget` call.
 */
export interface DeliverDigestOptions
  extends Omit<DeliverTargetOptions, 'event' | 'content' | 'idempotencyKey'> {
  digest: AlertDigest;
  /**
   * Every event folded into the digest, each to get a record of its outcome: more than
   * `digest.events` when an alert had several events in the interval. @default digest.events
   */
  folded?: readonly FoldedEvent[];
  /** The tenant's config, handed to the route's `renderDigest`. */
  tenant: TenantConfig;
}

/** What sending one digest did: the send's outcome, and one record per event folded into it. */
export interface DigestOutcome extends DeliveryOutcome {
  /** The digest's outcome, once for each of its events, with `digestId`. */
  records: DeliveryRecord[];
}

/**
 * Where a digest goes: the target's address, as a message of its own. It starts its own email
 * thread and is never a reply in an alert's Slack thread, since it speaks of many alerts.
 */
function digestTarget(target: PlannedTarget, digestId: string): PlannedTarget {
  switch (target.route) {
    case 'email':
      return { ...target, address: { ...target.address, threadKey: digestId, threadRoot: true } };
    case 'slack':
      return { ...target, address: { ...target.address, threadKey: digestId } };
    case 'slackApi':
      return {
        ...target,
        address: { ...target.address, threadKey: digestId, thread: false, event: 'alert.created' },
      };
  }
}

/** The outcome of a digest, once for each event folded into it, with `digestId`. */
export const digestRecords = (
  record: DeliveryRecord,
  folded: readonly FoldedEvent[],
  digestId: string,
): DeliveryRecord[] =>
  folded.map((event) => ({ ...record, alertId: event.alertId, eventType: event.eventType, digestId }));

/**
 * Sends one storm digest to its target through the same step as a single alert (`deliverTarget`:
 * claim, render, send, record), under the digest's own idempotency key, and returns the outcome
 * once per folded event. Shared by `notify()`'s in-process storms and the queue's digest jobs.
 */
export async function deliverDigest(
  target: PlannedTarget,
  options: DeliverDigestOptions,
): Promise<DigestOutcome> {
  const { digest, tenant } = options;
  const first = digest.events[0];
  if (!first) throw new TypeError('A digest has at least one event');
  const route = options.routes[target.route];
  const outcome = await deliverTarget(digestTarget(target, digest.id), {
    ...options,
    event: first,
    idempotencyKey: digestDeliveryKey(digest.organizationId, digest.id, target),
    content: async () => {
      if (!route?.renderDigest) {
        throw new NotifyError(`The ${target.route} route has no renderDigest to render a storm's digest`, {
          code: 'config',
          retryable: false,
        });
      }
      return route.renderDigest(digest, tenant);
    },
  });
  const folded = options.folded ?? digest.events.map((event) => recordBase(event, target.route));
  return { ...outcome, records: digestRecords(outcome.record, folded, digest.id) };
}
