import { type AlertEvent, ConfigError, type DeliveryRecord, ValidationError } from '@pytake/notify-core';
import { alertMatches } from './alert-matches.js';
import type {
  AlertDetail,
  AlertSummary,
  ConsoleAction,
  Operator,
  TargetDelivery,
  TimelineEntry,
} from './api-types.js';
import { createChangeFeed } from './change-feed.js';
import { createDeliveryHealth } from './delivery-health.js';
import { alertQueryLimits } from './parse-alert-query.js';
import type { ConsoleSource } from './source.js';

/** Options of `createInProcessSource`. */
export interface InProcessSourceOptions {
  /** @default inProcessSourceDefaults.maxAlerts */
  maxAlerts?: number;
  /** @default inProcessSourceDefaults.maxTimeline */
  maxTimeline?: number;
  /** @default `() => new Date()` */
  now?: () => Date;
}

/** The defaults of {@link InProcessSourceOptions}, and how much the source keeps. */
export const inProcessSourceDefaults = {
  /** Alerts kept; the one updated longest ago is forgotten first. @default 10000 */
  maxAlerts: 10_000,
  /** Timeline entries kept per alert; the oldest go first. @default 100 */
  maxTimeline: 100,
  /** Live changes kept for clients that reconnect (`Last-Event-ID`). @default 1000 */
  replaySize: 1000,
  /** Live changes one slow client may have waiting before it gets a reset. @default 1000 */
  maxPending: 1000,
  /** Alerts a digest's view lists at most. @default 200 */
  digestAlerts: 200,
} as const;

/** The console's source for a service without the queue: fed by its notifier, kept in memory. */
export interface InProcessSource extends ConsoleSource {
  /** An event the service is about to notify (call it before `notify(event)`). */
  event(event: AlertEvent): void;
  /**
   * A delivery record: pass it as the notifier's `onDelivery`. `emailSubject`, when the service knows
   * it (from its email `render`), is listed on the alert's page.
   */
  record(record: DeliveryRecord, details?: { emailSubject?: string }): void;
  recordAction(action: ConsoleAction, operator: Operator, at: Date): Promise<void>;
  /** How many alerts it holds. */
  readonly size: number;
}

interface Held {
  summary: AlertSummary;
  timeline: TimelineEntry[];
  digestIds: string[];
  slackMessages: AlertDetail['slackMessages'];
  emailSubjects: string[];
  /** The list's order: bumped on every change, so newest first is highest first. */
  seq: number;
}

const keyOf = (organizationId: string, alertId: string) => `${organizationId}\n${alertId}`;
const iso = (value: Date | string) => new Date(value).toISOString();

/** Replaces the entry with the same channel and target, or adds it. */
function upsertTarget(targets: TargetDelivery[], target: TargetDelivery): void {
  const index = targets.findIndex((t) => t.channel === target.channel && t.target === target.target);
  if (index === -1) targets.push(target);
  else targets[index] = target;
}

/** Adds a value once, keeping the newest `max`. */
function addOnce<T>(list: T[], value: T, max: number, same: (a: T) => boolean = (a) => a === value): void {
  if (list.some(same)) return;
  list.push(value);
  if (list.length > max) list.shift();
}

/**
 * Keeps what the service's notifier did in memory, bounded: the newest `maxAlerts` alerts, each with
 * its last `maxTimeline` events and actions and every target's state. A restart forgets it all: the
 * queue's Redis is the source that keeps history.
 */
export function createInProcessSource(options: InProcessSourceOptions = {}): InProcessSource {
  const maxAlerts = positiveInteger('maxAlerts', options.maxAlerts ?? inProcessSourceDefaults.maxAlerts);
  const maxTimeline = positiveInteger(
    'maxTimeline',
    options.maxTimeline ?? inProcessSourceDefaults.maxTimeline,
  );
  const now = options.now ?? (() => new Date());
  const alerts = new Map<string, Held>();
  const feed = createChangeFeed(inProcessSourceDefaults);
  const health = createDeliveryHealth(now);
  let seq = 0;
  let entries = 0;

  const hold = (organizationId: string, alertId: string): Held => {
    const existing = alerts.get(keyOf(organizationId, alertId));
    if (existing) return existing;
    const at = now().toISOString();
    return {
      summary: {
        organizationId,
        alertId,
        status: 'open',
        stale: false,
        firstSeenAt: at,
        updatedAt: at,
        targets: [],
      },
      timeline: [],
      digestIds: [],
      slackMessages: [],
      emailSubjects: [],
      seq: 0,
    };
  };

  /** Moves the alert to the top of the list, forgets the oldest beyond the bound, tells live clients. */
  const touch = (held: Held) => {
    const key = keyOf(held.summary.organizationId, held.summary.alertId);
    held.seq = ++seq;
    held.summary.updatedAt = now().toISOString();
    // Re-inserting keeps the Map in update order: the first key is the one to forget.
    alerts.delete(key);
    alerts.set(key, held);
    if (alerts.size > maxAlerts) alerts.delete(alerts.keys().next().value!);
    feed.publish({ type: 'alert', alert: structuredClone(held.summary) });
  };

  const addEntry = (held: Held, entry: Omit<TimelineEntry, 'id' | 'targets'>): TimelineEntry => {
    const added = { id: String(++entries), ...entry, targets: [] };
    held.timeline.push(added);
    if (held.timeline.length > maxTimeline) held.timeline.shift();
    return added;
  };

  return {
    event(event) {
      const { alert } = event;
      const held = hold(alert.organizationId, alert.id);
      const s = held.summary;
      s.title = alert.title;
      s.severity = alert.severity;
      const next = event.type === 'alert.resolved' ? 'resolved' : alert.status;
      // An event still saying "open" after an operator acknowledged is the service not having caught
      // up yet: it must not undo the acknowledgement.
      if (!(next === 'open' && (s.status === 'acknowledged' || s.status === 'resolved'))) s.status = next;
      s.stale = event.type === 'alert.stale';
      s.lastEventType = event.type;
      if (event.type === 'alert.escalated' && event.assignedTo) s.assignee = event.assignedTo;
      addEntry(held, { kind: 'event', type: event.type, at: iso(event.occurredAt) });
      touch(held);
    },

    record(record, details) {
      const held = hold(record.organizationId, record.alertId);
      const target: TargetDelivery = {
        channel: record.channel,
        target: record.target,
        state: record.status,
        attempts: record.attempts,
        ...(record.reason ? { reason: record.reason } : {}),
        ...(record.error ? { errorCode: record.error.code } : {}),
        ...(record.digestId ? { digestId: record.digestId } : {}),
        at: iso(record.at),
      };
      // The newest entry of the record's event; a record whose event the console never saw (or has
      // forgotten) gets an entry of its own, so that no delivery goes unshown.
      const entry =
        held.timeline.findLast((e) => e.kind === 'event' && e.type === record.eventType) ??
        addEntry(held, { kind: 'event', type: record.eventType, at: target.at });
      upsertTarget(entry.targets, target);
      upsertTarget(held.summary.targets, target);
      if (!held.summary.lastEventType) held.summary.lastEventType = record.eventType;
      if (record.digestId) addOnce(held.digestIds, record.digestId, maxTimeline);
      if (record.channel === 'slack-api' && record.providerId && record.status === 'delivered') {
        const message = { channel: record.target, ts: record.providerId };
        addOnce(held.slackMessages, message, maxTimeline, (m) => m.ts === message.ts);
      }
      if (details?.emailSubject) addOnce(held.emailSubjects, details.emailSubject, maxTimeline);
      if (record.status === 'delivered' || record.status === 'partial')
        health.add(record.organizationId, 'delivered', record.at);
      else if (record.status === 'failed') health.add(record.organizationId, 'failed', record.at);
      touch(held);
    },

    async recordAction(action, operator, at) {
      const held = alerts.get(keyOf(action.organizationId, action.alertId));
      if (!held) return; // forgotten meanwhile: the bound wins
      const s = held.summary;
      const by = operator.name ?? operator.id;
      if (action.kind === 'acknowledge' && s.status !== 'resolved') s.status = 'acknowledged';
      else if (action.kind === 'resolve') s.status = 'resolved';
      else if (action.kind === 'assign') s.assignee = action.assignee ?? by;
      addEntry(held, {
        kind: 'action',
        type: action.kind,
        at: at.toISOString(),
        by,
        ...(action.kind === 'assign' ? { assignee: action.assignee ?? by } : {}),
      });
      touch(held);
    },

    async listAlerts(query) {
      const limit = query.limit ?? alertQueryLimits.defaultLimit;
      const before = query.cursor === undefined ? Number.POSITIVE_INFINITY : cursorSeq(query.cursor);
      const page: AlertSummary[] = [];
      let lastSeq = 0;
      let next: string | undefined;
      const held = [...alerts.values()];
      for (let i = held.length - 1; i >= 0; i--) {
        const h = held[i]!;
        if (h.seq >= before || !alertMatches(h.summary, query)) continue;
        if (page.length === limit) {
          // One more matches: there is a next page, starting after the last one of this page.
          next = String(lastSeq);
          break;
        }
        page.push(structuredClone(h.summary));
        lastSeq = h.seq;
      }
      return next === undefined ? { alerts: page } : { alerts: page, next };
    },

    async getAlert(organizationId, alertId) {
      const held = alerts.get(keyOf(organizationId, alertId));
      if (!held) return undefined;
      return structuredClone({
        ...held.summary,
        timeline: held.timeline,
        digestIds: held.digestIds,
        slackMessages: held.slackMessages,
        emailSubjects: held.emailSubjects,
      });
    },

    async digest(organizationId, digestId) {
      // Newest first, as the list; at most `digestAlerts`, among the alerts it keeps.
      const folded: AlertSummary[] = [];
      const held = [...alerts.values()];
      for (let i = held.length - 1; i >= 0 && folded.length < inProcessSourceDefaults.digestAlerts; i--) {
        const h = held[i]!;
        if (h.summary.organizationId === organizationId && h.digestIds.includes(digestId))
          folded.push(structuredClone(h.summary));
      }
      return folded.length === 0 ? undefined : { organizationId, digestId, alerts: folded };
    },

    async health(organizationIds) {
      return health.snapshot(organizationIds);
    },

    changes: (after, signal) => feed.changes(after, signal),

    get size() {
      return alerts.size;
    },
  };
}

function cursorSeq(cursor: string): number {
  if (!/^\d{1,15}$/.test(cursor))
    throw new ValidationError('Invalid alert query', [
      {
        path: 'cursor',
        message: `expected the "next" of a page, got ${JSON.stringify(cursor.slice(0, 40))}`,
      },
    ]);
  return Number(cursor);
}

function positiveInteger(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 1)
    throw new ConfigError('Invalid in-process source options', [
      { path: name, message: `expected a whole number from 1, got ${JSON.stringify(value)}` },
    ]);
  return value;
}
