import {
  type AlertEvent,
  type AlertEventType,
  type AlertStatus,
  type Severity,
  ValidationError,
} from '@pytake/notify-core';
import { runScript } from './commands/index.js';
import { orderScore } from './conversation.js';
import { readTargetStatuses, type TargetStatus } from './event-status.js';
import type { QueueKeys } from './queue-keys.js';
import type { RedisClient } from './redis-connection.js';

/**
 * What the index keeps of an alert, from its latest event: enough for a list, nothing personal or
 * secret (no description, metadata, assignee address or URL).
 */
export interface IndexedAlert {
  organizationId: string;
  alertId: string;
  title: string;
  severity: Severity;
  status: AlertStatus;
  category: string;
  /** ISO time the alert was created. */
  createdAt: string;
  /** The latest event's type, ISO time and job id. */
  lastEvent: AlertEventType;
  lastEventAt: string;
  lastEventId: string;
  /** What became of the latest event at each target (empty once its status expired). */
  targets: TargetStatus[];
}

/** One event of an indexed alert, with what became of it at each target. */
export interface IndexedEvent {
  /** The event's job id (`queue.status(id)` reads the same). */
  id: string;
  type: AlertEventType;
  occurredAt: string;
  targets: TargetStatus[];
}

/** A Slack message the workers posted for an alert through the Web API. */
export interface PostedMessage {
  /** The channel id. */
  channel: string;
  ts: string;
}

/** What an operator did to an alert from a console, as its timeline shows it. */
export interface AlertAction {
  kind: 'acknowledge' | 'resolve' | 'assign';
  /** The operator's name or id, as the console shows it. */
  by: string;
  /** ISO time. */
  at: string;
  /** With `assign`: who took the alert. */
  assignee?: string;
}

/** One alert as `queue.alerts.get` reads it: its summary, recent events, messages and actions. */
export interface IndexedAlertDetail extends IndexedAlert {
  /** Its latest events (`alertIndexDefaults.maxEvents`), oldest first, each with its targets' states. */
  events: IndexedEvent[];
  /** The Web API messages the workers posted for it, oldest first. */
  slackMessages: PostedMessage[];
  /** The subjects of the emails sent for it, in the order they were first sent. */
  emailSubjects: string[];
  /** What operators did to it from a console, oldest first (`alertIndexDefaults.maxActions`). */
  actions: AlertAction[];
}

/** A page of the index, newest activity first; `next` continues it. */
export interface AlertIndexPage {
  alerts: IndexedAlert[];
  next?: string;
}

/** Which page of the alert index `AlertIndexReader.list` reads. */
export interface AlertIndexQuery {
  /** Only these organizations; all when absent. */
  organizationIds?: readonly string[];
  /** Keeps an alert when true: filters applied in Redis's order, so that paging stays exact. */
  filter?: (alert: IndexedAlert) => boolean;
  /** `next` of the previous page. */
  cursor?: string;
  /** @default 50 */
  limit?: number;
}

/** The bounds of the index. */
export const alertIndexDefaults = {
  /** Alerts kept per organization, and across all of them; the least recently active leave. @default 10000 */
  maxAlerts: 10_000,
  /** Events kept per alert (the latest by order). @default 50 */
  maxEvents: 50,
  /** Index entries looked at for one page at most, so that a filter matching nothing stays bounded. @default 5000 */
  maxScanned: 5000,
  /** Operators' actions kept per alert (the latest). @default 50 */
  maxActions: 50,
  /** Distinct email subjects kept per alert (the first). @default 20 */
  maxSubjects: 20,
} as const;

// The status an action leaves in the summary until the alert's next event.
const statusAfter: Record<AlertAction['kind'], AlertStatus | ''> = {
  acknowledge: 'acknowledged',
  resolve: 'resolved',
  assign: '',
};

type Summary = Omit<IndexedAlert, 'organizationId' | 'alertId' | 'targets'>;

/** Notes a planned event in its organization's index (see commands/index-alert.lua). */
export async function indexAlertEvent(
  redis: RedisClient,
  keys: QueueKeys,
  eventId: string,
  event: AlertEvent,
  ttlMs: number,
): Promise<void> {
  const { alert } = event;
  const summary: Summary = {
    title: alert.title,
    severity: alert.severity,
    status: alert.status,
    category: alert.category,
    createdAt: alert.createdAt.toISOString(),
    lastEvent: event.type,
    lastEventAt: event.occurredAt.toISOString(),
    lastEventId: eventId,
  };
  const score = orderScore(event);
  await runScript(
    redis,
    'indexAlert',
    [keys.alerts(alert.organizationId), keys.allAlerts, keys.alert(alert.organizationId, alert.id)],
    [
      alert.id,
      JSON.stringify([alert.organizationId, alert.id]),
      score,
      event.occurredAt.getTime(),
      JSON.stringify(summary),
      JSON.stringify({ id: eventId, type: event.type, occurredAt: event.occurredAt.toISOString(), score }),
      eventId,
      alertIndexDefaults.maxEvents,
      alertIndexDefaults.maxAlerts,
      Math.max(1, Math.ceil(ttlMs)),
    ],
  );
}

/** Reads the index of recent alerts that workers keep: what a console lists and shows. */
export interface AlertIndexReader {
  /**
   * A page of recent alerts, newest activity first: `limit` (50, at most 500) per page, and `next`
   * continues exactly where the page ended, none missed or repeated among equal times. `filter` is
   * applied in order, so paging stays exact; one page looks at `alertIndexDefaults.maxScanned`
   * entries at most and then returns what it found with a `next`.
   */
  list(query?: AlertIndexQuery): Promise<AlertIndexPage>;
  /**
   * One alert: its summary and recent events, each with its targets' states, its Slack messages,
   * email subjects and operators' actions; undefined when not kept.
   */
  get(organizationId: string, alertId: string): Promise<IndexedAlertDetail | undefined>;
  /**
   * Notes what an operator did to an alert from a console: `get` lists it (the latest
   * `alertIndexDefaults.maxActions`), and the summary shows the status it sets (acknowledged,
   * resolved) until the alert's next event brings the service's own. False when the index no longer
   * keeps the alert; rejects with `ValidationError` naming the field for a bad action.
   */
  noteAction(organizationId: string, alertId: string, action: AlertAction): Promise<boolean>;
}

/** Creates the {@link AlertIndexReader} of a queue's alert index. */
export function createAlertIndexReader(redis: RedisClient, keys: QueueKeys): AlertIndexReader {
  const readSummaries = async (pairs: [string, string][]): Promise<(IndexedAlert | undefined)[]> => {
    if (pairs.length === 0) return [];
    const pipeline = redis.pipeline();
    for (const [org, id] of pairs) pipeline.hget(keys.alert(org, id), 'summary');
    const answers = (await pipeline.exec()) ?? [];
    return answers.map(([error, value], i) => {
      if (error || typeof value !== 'string') return undefined;
      const [organizationId, alertId] = pairs[i]!;
      return { organizationId, alertId, ...(JSON.parse(value) as Summary), targets: [] };
    });
  };
  // The targets of each alert's latest event, for a page: one round trip for all of them.
  const withTargets = async (alerts: IndexedAlert[]): Promise<IndexedAlert[]> => {
    const known = alerts.filter((alert) => alert.lastEventId);
    if (known.length === 0) return alerts;
    const pipeline = redis.pipeline();
    for (const alert of known) pipeline.hvals(keys.status(alert.lastEventId));
    const answers = (await pipeline.exec()) ?? [];
    known.forEach((alert, i) => {
      const [error, values] = answers[i] ?? [];
      if (!error && Array.isArray(values))
        alert.targets = values.map((v) => JSON.parse(v as string) as TargetStatus);
    });
    return alerts;
  };

  return {
    /** A page of recent alerts, newest activity first. */
    async list(query: AlertIndexQuery = {}): Promise<AlertIndexPage> {
      const limit = Math.max(1, Math.min(500, query.limit ?? 50));
      const orgs = query.organizationIds;
      // One organization reads its own index; several or all read the shared one and keep theirs.
      const single = orgs?.length === 1 ? orgs[0]! : undefined;
      const key = single === undefined ? keys.allAlerts : keys.alerts(single);
      const pairOf = (member: string): [string, string] =>
        single === undefined ? (JSON.parse(member) as [string, string]) : [single, member];
      const alerts: IndexedAlert[] = [];
      // Where the last page ended: its last score, and how many entries with that score it passed.
      let [max, skip] = query.cursor ? splitCursor(query.cursor) : ['+inf', 0];
      let scanned = 0;
      while (scanned < alertIndexDefaults.maxScanned) {
        const size = limit * 2;
        const batch = await redis.zrevrangebyscore(key, max, '-inf', 'WITHSCORES', 'LIMIT', skip, size);
        const entries: [string, string][] = [];
        for (let i = 0; i < batch.length; i += 2) entries.push([batch[i]!, batch[i + 1]!]);
        const wanted = entries.filter(([member]) => !orgs || orgs.includes(pairOf(member)[0]));
        const summaries = await readSummaries(wanted.map(([member]) => pairOf(member)));
        for (const [member, score] of entries) {
          scanned++;
          // Entries come by score, then member, so those with the last score are passed in a row.
          skip = score === max ? skip + 1 : 1;
          max = score;
          const i = wanted.findIndex(([m]) => m === member);
          const alert = i >= 0 ? summaries[i] : undefined;
          if (alert && (!query.filter || query.filter(alert))) alerts.push(alert);
          if (alerts.length === limit) return { alerts: await withTargets(alerts), next: `${max}|${skip}` };
        }
        if (entries.length < size) return { alerts: await withTargets(alerts) };
      }
      return { alerts: await withTargets(alerts), next: `${max}|${skip}` };
    },

    /** One alert: its summary and recent events, each with its targets' states; undefined when not kept. */
    async get(organizationId: string, alertId: string): Promise<IndexedAlertDetail | undefined> {
      const [fields, posted] = await Promise.all([
        redis.hgetall(keys.alert(organizationId, alertId)),
        redis.zrange(keys.messages(organizationId, alertId), 0, -1),
      ]);
      if (!fields.summary) return undefined;
      const slackMessages = posted.map((json) => {
        const { channel, ts } = JSON.parse(json) as PostedMessage;
        return { channel, ts };
      });
      // Fields by their prefix: `e:` events, `a:<n>` actions, `s:<subject>` subjects (value: when sent).
      const fieldsOf = (prefix: string) =>
        Object.entries(fields).filter(([field]) => field.startsWith(prefix));
      const entries = fieldsOf('e:')
        .map(([, value]) => JSON.parse(value) as Omit<IndexedEvent, 'targets'> & { score: number })
        .sort((a, b) => a.score - b.score);
      const actions = fieldsOf('a:')
        .sort(([a], [b]) => Number(a.slice(2)) - Number(b.slice(2)))
        .map(([, value]) => JSON.parse(value) as AlertAction);
      const emailSubjects = fieldsOf('s:')
        .sort(([, a], [, b]) => Number(a) - Number(b))
        .map(([field]) => field.slice(2));
      const events = await Promise.all(
        entries.map(async ({ score: _, ...event }) => ({
          ...event,
          targets: [...(await readTargetStatuses(redis, keys.status(event.id))).values()],
        })),
      );
      const summary = JSON.parse(fields.summary) as Summary;
      const targets = events.find((event) => event.id === summary.lastEventId)?.targets ?? [];
      return { organizationId, alertId, ...summary, targets, events, slackMessages, emailSubjects, actions };
    },

    /**
     * Notes what an operator did to an alert from a console: its page lists it, and the list shows
     * the status it sets (acknowledged, resolved) until the alert's next event brings the service's
     * own. False when the index no longer keeps the alert.
     */
    async noteAction(organizationId: string, alertId: string, action: AlertAction): Promise<boolean> {
      const { kind, by, at, assignee } = action;
      const issues = [
        !Object.hasOwn(statusAfter, kind) && {
          path: 'kind',
          message: `expected one of ${Object.keys(statusAfter).join(', ')}`,
        },
        (typeof by !== 'string' || by === '') && {
          path: 'by',
          message: "expected the operator's name or id",
        },
        (typeof at !== 'string' || Number.isNaN(Date.parse(at))) && {
          path: 'at',
          message: 'expected an ISO time',
        },
      ].filter((issue) => issue !== false);
      if (issues.length > 0) throw new ValidationError('Invalid action', issues);
      const entry = { kind, by, at, ...(assignee !== undefined && { assignee }) };
      const noted = await runScript(
        redis,
        'noteAction',
        [keys.alert(organizationId, alertId)],
        [JSON.stringify(entry), statusAfter[kind], alertIndexDefaults.maxActions],
      );
      return noted === 1;
    },
  };
}

// `score|passed`: a page's last score, and how many entries with that score were on its pages.
function splitCursor(cursor: string): [string, number] {
  const [score, passed] = cursor.split('|');
  if (!Number.isFinite(Number(score)) || !Number.isInteger(Number(passed)) || Number(passed) < 0)
    return ['+inf', 0];
  return [score!, Number(passed)];
}
