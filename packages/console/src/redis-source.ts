import type { AlertEventType, AlertInput, AlertStatus, Severity } from '@pytake/notify-core';
import { alertMatches } from './alert-matches.js';
import type {
  AlertDetail,
  AlertSummary,
  ConsoleAction,
  DeadLetterSummary,
  NumberedChange,
  Operator,
  OrganizationHealth,
  TargetDelivery,
  TimelineEntry,
} from './api-types.js';
import { createSharedTail } from './shared-tail.js';
import type { ConsoleSource } from './source.js';

/** An alert as the queue's index keeps it (`IndexedAlert` of `@pytake/notify-queue`). */
export interface QueueIndexedAlert {
  organizationId: string;
  alertId: string;
  title: string;
  severity: Severity;
  status: AlertStatus;
  createdAt: string;
  lastEvent: AlertEventType;
  lastEventAt: string;
  /** What became of the latest event at each target (a queue that kept none leaves it out). */
  targets?: QueueTargetStatus[];
}

/** One target's entry in an event's status (`TargetStatus` of `@pytake/notify-queue`). */
export interface QueueTargetStatus {
  channel: string;
  target: string;
  state: TargetDelivery['state'];
  reason?: string;
  error?: { code: string };
  digestId?: string;
  at: string;
}

/** A dead letter as the queue lists it (`DeadLetter` of `@pytake/notify-queue`). */
export interface QueueDeadLetter {
  id: string;
  queue: string;
  eventId: string;
  organizationId?: string;
  alertId?: string;
  eventType?: AlertEventType;
  target?: string;
  error: { code: string; message: string };
  attempts: number;
  failedAt?: Date;
  malformed?: string;
}

/** An operator's action as the queue's index keeps it (`AlertAction` of `@pytake/notify-queue`). */
export interface QueueAlertAction {
  kind: ConsoleAction['kind'];
  by: string;
  at: string;
  assignee?: string;
}

/** A 429 hold in force (`RateLimitHold` of `@pytake/notify-queue`). */
export interface QueueRateLimitHold {
  organizationId: string;
  route: string;
  target: string;
  until: Date;
}

/**
 * What the Redis source uses of a `NotificationQueue` of `@pytake/notify-queue`: pass the queue
 * itself. Declared here by shape, so that a service without the queue installs nothing of it.
 */
export interface ConsoleQueue {
  alerts: {
    /** A page of recent alerts, newest activity first. */
    list(query: {
      organizationIds?: readonly string[];
      filter?: (alert: QueueIndexedAlert) => boolean;
      cursor?: string;
      limit?: number;
    }): Promise<{ alerts: QueueIndexedAlert[]; next?: string }>;
    /** One alert with its recent events and Slack messages, or `undefined` when it is not kept. */
    get(
      organizationId: string,
      alertId: string,
    ): Promise<
      | (QueueIndexedAlert & {
          events: { id: string; type: AlertEventType; occurredAt: string; targets: QueueTargetStatus[] }[];
          /** The Web API messages posted for the alert (a queue before they were kept has none). */
          slackMessages?: { channel: string; ts: string }[];
          /** The subjects of the emails sent for the alert. */
          emailSubjects?: string[];
          /** What operators did to the alert from a console, oldest first. */
          actions?: QueueAlertAction[];
        })
      | undefined
    >;
    /** Notes an operator's action for the alert's timeline (and its status in the list). */
    noteAction?(organizationId: string, alertId: string, action: QueueAlertAction): Promise<boolean>;
  };
  records: {
    /** Up to `count` records written after stream id `after`, oldest first. */
    after(
      after: string | undefined,
      count?: number,
    ): Promise<
      {
        id: string;
        record: {
          organizationId: string;
          alertId: string;
          status: string;
          attempts: number;
          at: string;
          digestId?: string;
        };
      }[]
    >;
    /** The ids of the oldest and the newest record kept, or `undefined` when there are none. */
    bounds(): Promise<{ oldest: string; newest: string } | undefined>;
  };
  /** Jobs per queue and state: the Queue view's counts. Without it (and `deadLetters`), no Queue view. */
  jobCounts?(): Promise<Record<string, Record<'waiting' | 'delayed' | 'active' | 'dead', number>>>;
  /** The dead letters: the Queue view lists them and retries one or all. */
  deadLetters?: {
    /** The newest dead letters. */
    list(options?: { limit?: number }): Promise<QueueDeadLetter[]>;
    /** Puts one dead letter back on its queue; false when it is gone. */
    retry(id: string): Promise<boolean>;
    /** Puts dead letters back on their queues and says how many. */
    retryAll(options?: { limit?: number }): Promise<number>;
  };
  /** The targets held by a 429 now: the Queue view lists them. */
  rateLimitHolds?(organizationIds?: readonly string[]): Promise<QueueRateLimitHold[]>;
  /** Edits the alert's Slack Web API messages, by a worker: called after an action. */
  updateAlertMessages?(alert: AlertInput): Promise<unknown>;
}

/** Options of `createRedisSource`. */
export interface RedisSourceOptions {
  /** The service's `createNotificationQueue()`. */
  queue: ConsoleQueue;
  /** How often the live channel looks for new records when it found none. @default 500 */
  pollMs?: number;
}

/** The defaults of {@link RedisSourceOptions}, and how much the source reads at a time. */
export const redisSourceDefaults = {
  /** @default 500 */
  pollMs: 500,
  /** Records read per look, and for delivery health and digests at most this many times ten. @default 1000 */
  batch: 1000,
  /** Dead letters listed per queue (the newest). @default 100 */
  deadLetters: 100,
  /**
   * Dead letters looked through per queue to retry those of an operator limited to some
   * organizations. @default 1000
   */
  retryScan: 1000,
  /** Alerts a digest's view lists at most. @default 200 */
  digestAlerts: 200,
  /**
   * Changes held for a live client that reads slower than they come; past it its channel ends and
   * its browser reconnects and catches up from its last id. @default 10000
   */
  liveBuffer: 10_000,
} as const;

const deadLetterSummary = (letter: QueueDeadLetter): DeadLetterSummary => ({
  id: letter.id,
  queue: letter.queue,
  eventId: letter.eventId,
  ...(letter.organizationId !== undefined && { organizationId: letter.organizationId }),
  ...(letter.alertId !== undefined && { alertId: letter.alertId }),
  ...(letter.eventType !== undefined && { eventType: letter.eventType }),
  ...(letter.target !== undefined && { target: letter.target }),
  errorCode: letter.error.code,
  errorMessage: letter.error.message,
  attempts: letter.attempts,
  ...(letter.failedAt && { failedAt: new Date(letter.failedAt).toISOString() }),
  ...(letter.malformed !== undefined && { malformed: true }),
});

const inOrganizations = (letter: QueueDeadLetter, organizationIds: readonly string[] | undefined) =>
  organizationIds === undefined ||
  (letter.organizationId !== undefined && organizationIds.includes(letter.organizationId));

const HOUR_MS = 3_600_000;

const targetOf = (status: QueueTargetStatus, attempts = 0): TargetDelivery => ({
  channel: status.channel,
  target: status.target,
  state: status.state,
  attempts,
  ...(status.reason && { reason: status.reason }),
  ...(status.error && { errorCode: status.error.code }),
  ...(status.digestId && { digestId: status.digestId }),
  at: status.at,
});

function summaryOf(
  alert: QueueIndexedAlert,
  targets: TargetDelivery[] = (alert.targets ?? []).map((status) => targetOf(status)),
): AlertSummary {
  return {
    organizationId: alert.organizationId,
    alertId: alert.alertId,
    title: alert.title,
    severity: alert.severity,
    status: alert.status,
    stale: alert.lastEvent === 'alert.stale',
    lastEventType: alert.lastEvent,
    firstSeenAt: alert.createdAt,
    updatedAt: alert.lastEventAt,
    targets,
  };
}

// Stream ids are `ms-seq`: compared as two numbers.
const streamIdBefore = (a: string, b: string) => {
  const [am, as] = a.split('-').map(Number) as [number, number];
  const [bm, bs] = b.split('-').map(Number) as [number, number];
  return am < bm || (am === bm && as < bs);
};

/**
 * The console's source for a service with `@pytake/notify-queue`: what every worker on every machine
 * delivered, read from Redis through the queue (its index of recent alerts, each event's status and
 * the records stream), so that any number of consoles show the same and a restarted one shows history.
 * The list shows each alert's summary; its page adds every event with each target's state. The live
 * channel follows the records stream (ids are stream ids), one reader for all its clients; delivery health counts the records the
 * stream still keeps (`streamMaxLen`), so its day may be shorter on a busy queue, and its `dead`
 * the newest dead letters (`redisSourceDefaults.deadLetters` per queue) that failed within the day.
 */
export function createRedisSource(options: RedisSourceOptions): ConsoleSource {
  const { queue } = options;
  const pollMs = options.pollMs ?? redisSourceDefaults.pollMs;

  async function detail(organizationId: string, alertId: string): Promise<AlertDetail | undefined> {
    const alert = await queue.alerts.get(organizationId, alertId);
    if (!alert) return undefined;
    // The latest state of each target: later events overwrite earlier ones.
    const latest = new Map<string, TargetDelivery>();
    const digestIds = new Set<string>();
    const timeline = alert.events.map((event) => {
      const targets = event.targets.map((status) => targetOf(status));
      for (const target of targets) {
        latest.set(`${target.channel}\n${target.target}`, target);
        if (target.digestId) digestIds.add(target.digestId);
      }
      return { id: event.id, kind: 'event' as const, type: event.type, at: event.occurredAt, targets };
    });
    const actions: TimelineEntry[] = (alert.actions ?? []).map(({ kind, by, at, assignee }, i) => ({
      id: `action-${i}`,
      kind: 'action',
      type: kind,
      at,
      by,
      ...(assignee !== undefined && { assignee }),
      targets: [],
    }));
    return {
      ...summaryOf(alert, [...latest.values()]),
      // Events in their order, each action after the events before it in time.
      timeline: mergeByTime(timeline, actions),
      digestIds: [...digestIds],
      slackMessages: alert.slackMessages ?? [],
      emailSubjects: alert.emailSubjects ?? [],
    };
  }

  const summaryOfDetail = ({
    timeline: _t,
    digestIds: _d,
    slackMessages: _s,
    emailSubjects: _e,
    ...summary
  }: AlertDetail): AlertSummary => summary;

  // Each optional part only when the queue has what it needs: a smaller object still shows alerts.
  const { deadLetters, jobCounts, rateLimitHolds, updateAlertMessages } = queue;
  const queueParts: Partial<ConsoleSource> = deadLetters
    ? {
        async queue(organizationIds) {
          const [counts, letters, holds] = await Promise.all([
            organizationIds === undefined ? jobCounts?.call(queue) : undefined,
            deadLetters.list({ limit: redisSourceDefaults.deadLetters }),
            rateLimitHolds?.call(queue, organizationIds),
          ]);
          return {
            ...(counts && {
              counts: Object.entries(counts).map(([name, c]) => ({ queue: name, ...c })),
            }),
            ...(holds && {
              holds: holds.map(({ organizationId, route, target, until }) => ({
                organizationId,
                route,
                target,
                until: new Date(until).toISOString(),
              })),
            }),
            deadLetters: letters
              .filter((letter) => inOrganizations(letter, organizationIds))
              .map(deadLetterSummary),
          };
        },
        async retryDeadLetter(id, organizationIds) {
          if (organizationIds === undefined) return deadLetters.retry(id);
          const letters = await deadLetters.list({ limit: redisSourceDefaults.retryScan });
          const letter = letters.find((l) => l.id === id);
          return !!letter && inOrganizations(letter, organizationIds) && deadLetters.retry(id);
        },
        async retryAllDeadLetters(organizationIds) {
          if (organizationIds === undefined) return deadLetters.retryAll();
          const letters = await deadLetters.list({ limit: redisSourceDefaults.retryScan });
          let retried = 0;
          for (const letter of letters) {
            if (letter.malformed !== undefined || !inOrganizations(letter, organizationIds)) continue;
            if (await deadLetters.retry(letter.id)) retried++;
          }
          return retried;
        },
      }
    : {};

  // The changes after `cursor` in the records stream: one per alert of a batch, at its last
  // record's id (a resume after it misses none), with the alert as it is now.
  async function readChanges(
    cursor: string | undefined,
  ): Promise<{ changes: NumberedChange[]; cursor?: string }> {
    const batch = await queue.records.after(cursor, redisSourceDefaults.batch);
    if (batch.length === 0) return { changes: [], ...(cursor !== undefined && { cursor }) };
    const lastOf = new Map<string, { id: string; organizationId: string; alertId: string }>();
    for (const { id, record } of batch) {
      const key = `${record.organizationId}\n${record.alertId}`;
      lastOf.delete(key);
      lastOf.set(key, { id, organizationId: record.organizationId, alertId: record.alertId });
    }
    const changes: NumberedChange[] = [];
    for (const { id, organizationId, alertId } of lastOf.values()) {
      const alert = await detail(organizationId, alertId);
      if (alert) changes.push({ id, change: { type: 'alert', alert: summaryOfDetail(alert) } });
    }
    return { changes, cursor: batch.at(-1)!.id };
  }
  const tail = createSharedTail({
    read: readChanges,
    start: async () => (await queue.records.bounds())?.newest,
    pollMs,
    maxBuffered: redisSourceDefaults.liveBuffer,
  });

  const { noteAction } = queue.alerts;
  return {
    ...queueParts,
    ...(noteAction && {
      async recordAction(action: ConsoleAction, operator: Operator, at: Date) {
        const by = operator.name ?? operator.id;
        await noteAction.call(queue.alerts, action.organizationId, action.alertId, {
          kind: action.kind,
          by,
          at: at.toISOString(),
          ...(action.kind === 'assign' && { assignee: action.assignee ?? by }),
        });
      },
    }),
    ...(updateAlertMessages && {
      async updateAlertMessages(alert: AlertInput) {
        await updateAlertMessages.call(queue, alert);
      },
    }),

    async digest(organizationId, digestId) {
      // The records of folded events carry the digest's id: the stream's newest records, bounded.
      const alertIds = new Set<string>();
      let after: string | undefined;
      for (let read = 0; read < 10; read++) {
        const batch = await queue.records.after(after, redisSourceDefaults.batch);
        for (const { record } of batch)
          if (record.digestId === digestId && record.organizationId === organizationId)
            alertIds.add(record.alertId);
        if (batch.length < redisSourceDefaults.batch) break;
        after = batch.at(-1)!.id;
      }
      if (alertIds.size === 0) return undefined;
      const alerts: AlertSummary[] = [];
      for (const alertId of [...alertIds].slice(0, redisSourceDefaults.digestAlerts)) {
        const alert = await detail(organizationId, alertId);
        if (alert) alerts.push(summaryOfDetail(alert));
      }
      return { organizationId, digestId, alerts };
    },

    async listAlerts(query) {
      const { cursor, limit, ...filters } = query;
      const page = await queue.alerts.list({
        organizationIds: query.organizationIds,
        filter: (alert) => alertMatches(summaryOf(alert), filters),
        cursor,
        limit,
      });
      return { alerts: page.alerts.map((alert) => summaryOf(alert)), ...(page.next && { next: page.next }) };
    },

    getAlert: detail,

    async health(organizationIds) {
      const now = Date.now();
      const byOrganization = new Map<string, OrganizationHealth>();
      const empty = () => ({ delivered: 0, failed: 0, dead: 0 });
      const count = (organizationId: string, kind: 'delivered' | 'failed' | 'dead', age: number) => {
        let health = byOrganization.get(organizationId);
        if (!health) {
          health = { organizationId, lastHour: empty(), lastDay: empty() };
          byOrganization.set(organizationId, health);
        }
        health.lastDay[kind]++;
        if (age <= HOUR_MS) health.lastHour[kind]++;
      };
      let after: string | undefined;
      for (let read = 0; read < 10; read++) {
        const batch = await queue.records.after(after, redisSourceDefaults.batch);
        for (const { record } of batch) {
          const age = now - Date.parse(record.at);
          if (age > 24 * HOUR_MS) continue;
          if (organizationIds && !organizationIds.includes(record.organizationId)) continue;
          const kind =
            record.status === 'delivered' || record.status === 'partial'
              ? 'delivered'
              : record.status === 'failed'
                ? 'failed'
                : undefined;
          if (!kind) continue;
          count(record.organizationId, kind, age);
        }
        if (batch.length < redisSourceDefaults.batch) break;
        after = batch.at(-1)!.id;
      }
      // Dead: the dead letters that failed within the day (the newest the listing keeps).
      const letters = queue.deadLetters
        ? await queue.deadLetters.list({ limit: redisSourceDefaults.deadLetters })
        : [];
      for (const letter of letters) {
        if (!letter.organizationId || !letter.failedAt) continue;
        if (organizationIds && !organizationIds.includes(letter.organizationId)) continue;
        const age = now - new Date(letter.failedAt).getTime();
        if (age <= 24 * HOUR_MS) count(letter.organizationId, 'dead', age);
      }
      return [...byOrganization.values()];
    },

    async *changes(after, signal): AsyncIterable<NumberedChange> {
      const subscription = await tail.subscribe(signal);
      let cursor = after ?? subscription.from;
      if (after !== undefined) {
        const bounds = await queue.records.bounds();
        // Records written after `after` were trimmed from the stream: the client reloads.
        if (bounds && streamIdBefore(after, bounds.oldest)) {
          cursor = bounds.newest;
          yield { id: bounds.newest, change: { type: 'reset' } };
        }
        // Alone up to where the tail was when this client joined; the tail has everything after.
        const until = subscription.from;
        while (
          !signal.aborted &&
          cursor !== undefined &&
          until !== undefined &&
          streamIdBefore(cursor, until)
        ) {
          const read = await readChanges(cursor);
          if (read.cursor === cursor) break;
          yield* read.changes;
          cursor = read.cursor;
        }
      }
      for await (const change of subscription) {
        // What the catch-up already told.
        if (cursor !== undefined && !streamIdBefore(cursor, change.id)) continue;
        yield change;
      }
    },
  };
}

// Two timelines each in order, merged by time; on equal times the first's entry comes first.
function mergeByTime(first: TimelineEntry[], second: TimelineEntry[]): TimelineEntry[] {
  const merged: TimelineEntry[] = [];
  let j = 0;
  for (const entry of first) {
    while (j < second.length && Date.parse(second[j]!.at) < Date.parse(entry.at)) merged.push(second[j++]!);
    merged.push(entry);
  }
  return [...merged, ...second.slice(j)];
}
