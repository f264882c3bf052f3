import type { AlertEventType, AlertInput, AlertStatus, Severity } from '@pytake/notify-core';
import { alertMatches } from './alert-matches.js';
import type {
  AlertDetail,
  AlertSummary,
  DeadLetterSummary,
  NumberedChange,
  OrganizationHealth,
  TargetDelivery,
} from './api-types.js';
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
        })
      | undefined
    >;
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

const pause = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * The console's source for a service with `@pytake/notify-queue`: what every worker on every machine
 * delivered, read from Redis through the queue (its index of recent alerts, each event's status and
 * the records stream), so that any number of consoles show the same and a restarted one shows history.
 * The list shows each alert's summary; its page adds every event with each target's state. The live
 * channel follows the records stream (ids are stream ids); delivery health counts the records the
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
    return {
      ...summaryOf(alert, [...latest.values()]),
      timeline,
      digestIds: [...digestIds],
      slackMessages: alert.slackMessages ?? [],
      emailSubjects: [],
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
  const { deadLetters, jobCounts, updateAlertMessages } = queue;
  const queueParts: Partial<ConsoleSource> = deadLetters
    ? {
        async queue(organizationIds) {
          const [counts, letters] = await Promise.all([
            organizationIds === undefined ? jobCounts?.call(queue) : undefined,
            deadLetters.list({ limit: redisSourceDefaults.deadLetters }),
          ]);
          return {
            ...(counts && {
              counts: Object.entries(counts).map(([name, c]) => ({ queue: name, ...c })),
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

  return {
    ...queueParts,
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
      const bounds = await queue.records.bounds();
      let cursor = after ?? bounds?.newest;
      // Records written after `after` were trimmed from the stream: the client reloads.
      if (after && bounds && streamIdBefore(after, bounds.oldest)) {
        cursor = bounds.newest;
        yield { id: bounds.newest, change: { type: 'reset' } };
      }
      while (!signal.aborted) {
        const batch = await queue.records.after(cursor, redisSourceDefaults.batch);
        if (batch.length === 0) {
          await pause(pollMs, signal);
          continue;
        }
        cursor = batch.at(-1)!.id;
        // One change per alert in the batch, at its last record's id: a resume after it misses none.
        const lastOf = new Map<string, { id: string; organizationId: string; alertId: string }>();
        for (const { id, record } of batch) {
          const key = `${record.organizationId}\n${record.alertId}`;
          lastOf.delete(key);
          lastOf.set(key, { id, organizationId: record.organizationId, alertId: record.alertId });
        }
        for (const { id, organizationId, alertId } of lastOf.values()) {
          if (signal.aborted) return;
          const alert = await detail(organizationId, alertId);
          if (alert) yield { id, change: { type: 'alert', alert: summaryOfDetail(alert) } };
        }
      }
    },
  };
}
