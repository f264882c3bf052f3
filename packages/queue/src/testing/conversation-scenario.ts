import type { ChildProcess } from 'node:child_process';
import type { AlertEventInput, AlertEventType, DeliveryRecord, TenantConfigInput } from '@pytake/notify-core';
import { recordsStreamKey } from '../index.js';
import type { ConversationWorkerConfig } from './conversation-worker.js';
import { eventKey } from './event-text.js';
import { type FakeSlackApi, startFakeSlackApi } from './fake-slack-api.js';
import { ceiling, until } from './fixtures.js';
import { exitOf, forkScript } from './processes.js';
import type { TestRedis } from './redis-server.js';

export const ORGANIZATION = 'org-conv';
/** The organization's Web API channel. */
export const CHANNEL = 'C0CONV0001';
const START = Date.UTC(2026, 0, 1, 0, 0, 0);

const alertOf = (n: number, status: 'open' | 'escalated' | 'resolved' | 'acknowledged') => ({
  id: `alert-${n}`,
  organizationId: ORGANIZATION,
  title: `Replication lag #${n}`,
  severity: 'high' as const,
  category: 'infra',
  status,
  createdAt: new Date(START + n * 60_000).toISOString(),
});

/** An event of alert `n`, `seconds` after the alert was created. */
export function conversationEvent(n: number, type: AlertEventType, seconds: number): AlertEventInput {
  const occurredAt = new Date(START + n * 60_000 + seconds * 1000).toISOString();
  const base = { occurredAt };
  switch (type) {
    case 'alert.created':
      return { ...base, type, alert: alertOf(n, 'open') };
    case 'alert.escalated':
      return {
        ...base,
        type,
        fromLevel: 1,
        toLevel: 2,
        alert: { ...alertOf(n, 'escalated'), escalationLevel: 2 },
      };
    case 'alert.stale':
      return { ...base, type, lastActivityAt: occurredAt, alert: alertOf(n, 'open') };
    case 'alert.resolved':
      return { ...base, type, resolvedBy: 'maria', alert: alertOf(n, 'resolved') };
  }
}

/** Alert `n` as the app shows it after someone pressed "Acknowledge". */
export const acknowledgedAlert = (n: number) => ({
  ...alertOf(n, 'acknowledged'),
  acknowledgedAt: alertOf(n, 'open').createdAt,
});

/** Alert `n` created, escalated 10 s later and resolved 10 s after that. */
export const createdEscalatedResolved = (n: number) => [
  conversationEvent(n, 'alert.created', 0),
  conversationEvent(n, 'alert.escalated', 10),
  conversationEvent(n, 'alert.resolved', 20),
];

/** The identity of an event across alerts: `alertId type occurredAt`, as the fakes read it back. */
export const eventId = (event: AlertEventInput) =>
  `${event.alert.id} ${eventKey({ type: event.type, occurredAt: event.occurredAt as string })}`;

/** The organization: its Web API channel with thread replies, and optionally webhooks and email. */
export function conversationTenant(
  options: { webhooks?: string[]; email?: string[] } = {},
): TenantConfigInput {
  const channels = [{ id: CHANNEL, name: 'alerts' }];
  const webhooks = (options.webhooks ?? []).map((url, i) => ({ url, name: `hook-${i}` }));
  return {
    organizationId: ORGANIZATION,
    slack: { channels, webhooks, threadReplies: true },
    ...(options.email ? { email: { to: options.email } } : {}),
  } as TenantConfigInput;
}

/**
 * Worker options for these tests: no shared rate limits (not what they are about), and locks short
 * enough that a killed worker's jobs come back soon. Through ceiling(), as in worker-crash.test.ts:
 * a live worker renews its locks from its event loop, and on a loaded machine a lock of 2 s expired
 * under a live worker, which would show up here as a second post that no kill explains.
 */
export const conversationWorkerOptions = (extra: Record<string, unknown> = {}) => ({
  limits: false as const,
  concurrency: 4,
  lockDurationMs: ceiling(2000),
  stalledIntervalMs: ceiling(1000),
  claimTtlMs: ceiling(3000),
  backoff: { baseDelayMs: 50, maxDelayMs: 500 },
  ...extra,
});

/** A worker process of a test, with the token it posts to the fake Slack with. */
export interface RunningWorker {
  child: ChildProcess;
  token: string;
  concurrency: number;
  records: DeliveryRecord[];
}

/**
 * Starts and kills the worker processes of one test. Each process gets a token of its own, so that
 * the fake Slack knows which process posted what: a second parent is allowed only after a kill.
 */
export function workerPool(base: Omit<ConversationWorkerConfig, 'slackApi'> & { apiBase?: string }) {
  const running: RunningWorker[] = [];
  let started = 0;
  return {
    running,
    async start(options: Record<string, unknown> = {}): Promise<RunningWorker> {
      const token = `xoxb-test-worker-${++started}`;
      const { apiBase, ...rest } = base;
      const config: ConversationWorkerConfig = {
        ...rest,
        ...(apiBase ? { slackApi: { baseUrl: apiBase, token } } : {}),
        options: { ...base.options, ...options },
      };
      const child = await forkScript('./conversation-worker.ts', { WORKER_CONFIG: JSON.stringify(config) });
      const worker: RunningWorker = {
        child,
        token,
        concurrency: Number(config.options?.concurrency ?? 8),
        records: [],
      };
      child.on('message', (message) => {
        const record = (message as { record?: DeliveryRecord }).record;
        if (record) worker.records.push(record);
      });
      running.push(worker);
      return worker;
    },
    /** kill -9, as a crash would. */
    async kill(worker: RunningWorker) {
      worker.child.kill('SIGKILL');
      await exitOf(worker.child);
    },
    async stopAll() {
      for (const { child } of running.splice(0)) {
        child.kill('SIGKILL');
        await exitOf(child);
      }
    },
  };
}
export type WorkerPool = ReturnType<typeof workerPool>;

/** Every record in the Redis records stream, from every worker, killed ones included. */
export async function streamRecords(redis: TestRedis): Promise<DeliveryRecord[]> {
  const entries = await redis.client().xrange(recordsStreamKey('{pytake-notify}'), '-', '+');
  return entries.map(([, fields]) => JSON.parse(fields[1]!) as DeliveryRecord);
}

const FINAL = new Set(['delivered', 'partial', 'failed', 'skipped', 'duplicate', 'digested']);

/** Deliveries through `channel` (a record's channel: `slack-api`, `slack`, `email`) with a final record. */
export const settledDeliveries = (records: DeliveryRecord[], channel: string) =>
  new Set(
    records
      .filter((r) => r.channel === channel && FINAL.has(r.status))
      .map((r) => `${r.target} ${r.alertId} ${r.eventType} ${r.idempotencyKey ?? ''}`),
  ).size;

/** Records that carry a warning of `code` (`out_of_order`, `late`). */
export const warned = (records: DeliveryRecord[], code: string) =>
  records.filter((r) => r.warnings?.some((w) => w.code === code));

/** What a run did to the Web API channel, as the closing lines print it. */
export interface ConversationCounts {
  events: number;
  posted: number;
  parents: number;
  /** Alerts with more than one parent in the channel. */
  alertsWithSecondParents: number;
  replies: number;
  /** Replies whose thread_ts is not their alert's parent. */
  outsideThread: number;
  /** Alerts whose events arrived out of event order. */
  outOfOrder: number;
  /** Alerts with a resolved event whose parent was edited to it. */
  editedToResolved: number;
  /** Alerts with a resolved event. */
  resolvedAlerts: number;
  lost: number;
  duplicates: number;
  /** Parents beyond the first of an alert, in threads where a worker killed mid-run posted one. */
  secondParentsAfterKill: number;
  /** Parents beyond the first that no kill explains. */
  secondParentsUnexplained: number;
}

/** Workers whose sends in flight were cut short at `at` (killed, or cut off from Redis). */
export interface CutOff {
  tokens: ReadonlySet<string>;
  at: number;
}

/**
 * Counts what `fake` shows against the events enqueued. A parent beyond an alert's first is
 * explained by `cutOff` when it arrived after the cut and a parent of its thread came from a worker
 * that was cut off: the post whose ts that worker never stored, and the one posted again for it.
 */
export function conversationCounts(
  fake: FakeSlackApi,
  enqueued: AlertEventInput[],
  cutOff: CutOff = { tokens: new Set(), at: Number.POSITIVE_INFINITY },
): ConversationCounts {
  const threads = [...fake.threads().values()].filter((t) => t.channel === CHANNEL);
  const posted = new Set(threads.flatMap((t) => t.firstPosts.map((p) => `${t.alertId} ${p.event!.key}`)));
  const resolved = new Set(enqueued.filter((e) => e.type === 'alert.resolved').map((e) => e.alert.id));
  let secondParentsAfterKill = 0;
  let secondParentsUnexplained = 0;
  for (const thread of threads) {
    const extra = thread.parents.slice(1);
    const fromCutOff = thread.parents.filter((p) => cutOff.tokens.has(p.token)).length;
    const explained = Math.min(fromCutOff, extra.filter((p) => p.at >= cutOff.at).length);
    secondParentsAfterKill += explained;
    secondParentsUnexplained += extra.length - explained;
  }
  return {
    events: enqueued.length,
    posted: posted.size,
    parents: threads.reduce((n, t) => n + t.parents.length, 0),
    alertsWithSecondParents: threads.filter((t) => t.parents.length > 1).length,
    replies: threads.reduce((n, t) => n + t.replies.length, 0),
    outsideThread: threads.reduce((n, t) => n + t.outsideThread.length, 0),
    outOfOrder: threads.filter((t) => !t.inOrder).length,
    editedToResolved: threads.filter((t) => resolved.has(t.alertId) && t.resolvedEdits.length > 0).length,
    resolvedAlerts: resolved.size,
    lost: enqueued.filter((e) => !posted.has(eventId(e))).length,
    duplicates: threads.reduce((n, t) => n + t.duplicates, 0),
    secondParentsAfterKill,
    secondParentsUnexplained,
  };
}

export const formatCounts = (c: ConversationCounts) =>
  `${c.events} events, ${c.posted} posted, ${c.parents} parents (${c.alertsWithSecondParents} alerts with more than one), ${c.replies} replies, ` +
  `${c.outsideThread} replies outside their parent's thread, ${c.outOfOrder} alerts out of order, ` +
  `${c.editedToResolved}/${c.resolvedAlerts} parents edited to resolved, ${c.lost} lost, ` +
  `${c.duplicates} duplicate posts, ${c.secondParentsAfterKill} second parents after the kill, ` +
  `${c.secondParentsUnexplained} second parents no kill explains`;

/** One run of the scenario: the fake Slack, the worker processes, and the events to enqueue. */
export interface ConversationRun {
  fake: FakeSlackApi;
  pool: WorkerPool;
  workers: RunningWorker[];
  events: AlertEventInput[];
}

/**
 * Starts the fake Slack (answers delayed at random, from `seed`) and `workers` worker processes of
 * `concurrency` on the organization's Web API channel; its `events` are `alerts` alerts, each created,
 * escalated and resolved.
 */
export async function startConversation(
  redis: TestRedis,
  options: { alerts: number; workers: number; concurrency: number; seed: number; maxDelayMs: number },
): Promise<ConversationRun> {
  const fake = await startFakeSlackApi({ delay: { seed: options.seed, maxMs: options.maxDelayMs } });
  const pool = workerPool({
    redisPath: redis.connection.path,
    tenants: [conversationTenant()],
    apiBase: fake.apiBase,
    options: conversationWorkerOptions({ concurrency: options.concurrency }),
  });
  const workers = await Promise.all(Array.from({ length: options.workers }, () => pool.start()));
  const events = Array.from({ length: options.alerts }, (_, i) => createdEscalatedResolved(i + 1)).flat();
  return { fake, pool, workers, events };
}

/**
 * Waits (bounded) until every event has a final record for the channel, then a little longer for a
 * post that a cut-off send might still make, and counts what the fake Slack shows.
 */
export async function finishConversation(run: ConversationRun, redis: TestRedis, cutOff?: CutOff) {
  await until(
    async () => settledDeliveries(await streamRecords(redis), 'slack-api') >= run.events.length,
    40_000,
    200,
  );
  await new Promise((r) => setTimeout(r, 1000));
  const records = await streamRecords(redis);
  return {
    counts: conversationCounts(run.fake, run.events, cutOff),
    records,
    settled: settledDeliveries(records, 'slack-api'),
  };
}

/**
 * The most sends one worker process has in flight at once: one per delivery job it holds
 * (`concurrency`), and one per event job delivering its only target inline (all but one of the
 * event queue's `concurrency`). What a `kill -9` may leave sent but unrecorded, sent again later.
 */
export const maxSendsInFlight = (concurrency: number) => 2 * concurrency - 1;
