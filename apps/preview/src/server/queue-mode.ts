import type {
  AlertEvent,
  AlertInput,
  DeliveryRecord,
  QueueState,
  Routes,
  TenantDirectory,
} from '@pytake/notify-core';
import {
  createDeliveryWorker,
  createNotificationQueue,
  type DeadLetter,
  type NotificationQueue,
  type TargetStatus,
} from '@pytake/notify-queue';
import type { SlackMessage } from '@pytake/notify-slack';
import type { AlertStore } from './alert-store.js';

export interface QueuePanel {
  /** Targets of the events this app enqueued, by their last known state. */
  counts: Record<QueueState | 'delivered' | 'failed' | 'other', number>;
  deadLetters: DeadLetter[];
}

export interface QueueMode {
  /** The producer, which the console reads Redis through (`createRedisSource({ queue })`). */
  queue: NotificationQueue;
  /** Enqueues the event; the console entry follows its targets' queue states until they settle. */
  enqueue(event: AlertEvent, entryId: string): Promise<{ id: string }>;
  /** Has a worker edit the alert's Web API messages for `alert` as it is now; resolves with the job id. */
  updateAlertMessages(alert: AlertInput): Promise<{ id: string }>;
  panel(): Promise<QueuePanel>;
  retry(deadLetterId: string): Promise<boolean>;
  close(): Promise<void>;
}

export interface QueueModeOptions {
  /** `REDIS_URL`: a redis:// URL or a socket path. */
  connection: string;
  directory: TenantDirectory;
  routes: Routes<SlackMessage>;
  alerts: AlertStore;
  /** Every record the worker reports, with the console entry of its event. */
  onDelivery(record: DeliveryRecord, entryId: string | undefined): void;
  /** @default queueModeDefaults.pollMs */
  pollMs?: number;
}

export const queueModeDefaults = {
  /** How often the states of unsettled events are read. @default 250 */
  pollMs: 250,
  /** Events followed at once; the oldest are let go beyond it. @default 200 */
  maxTracked: 200,
  /** How long an event is followed at most. @default 600000 (10 min) */
  maxTrackMs: 600_000,
} as const;

const settled = new Set(['delivered', 'partial', 'failed', 'skipped', 'duplicate', 'digested']);

/**
 * `pnpm demo` with `REDIS_URL`: sends go through @pytake/notify-queue, with its worker in this
 * process, and the console shows each target's queue state (waiting, delayed, retrying, dead) as the
 * queue reports it (`queue.status()`), then the worker's records.
 */
export async function startQueueMode(options: QueueModeOptions): Promise<QueueMode> {
  const entries = new Map<string, string>(); // `${alertId}|${eventType}` → entry id
  const tracked = new Map<string, { entryId: string; since: number; targets: TargetStatus[] }>();
  const worker = createDeliveryWorker({
    connection: options.connection,
    directory: options.directory,
    routes: options.routes,
    // The demo's fake Slack has no limit to respect.
    limits: { slack: false, slackApi: false },
    onDelivery: (record) => options.onDelivery(record, entries.get(`${record.alertId}|${record.eventType}`)),
    onError: (error) => console.error(`preview queue: ${error.message}`),
  });
  await worker.ready();
  const queue = createNotificationQueue({ connection: options.connection });

  const poll = async () => {
    const now = Date.now();
    for (const [id, t] of tracked) {
      if (now - t.since > queueModeDefaults.maxTrackMs) {
        tracked.delete(id);
        continue;
      }
      const status = await queue.status(id).catch(() => undefined);
      if (!status) continue;
      t.targets = status.targets;
      const timeline = options.alerts.get(options.alerts.eventOf(t.entryId)?.event.alert.id ?? '')?.timeline;
      const entry = timeline?.find((e) => e.id === t.entryId);
      for (const target of status.targets) {
        // Outcomes come from the worker's records, with their attempts; the queue adds the states between.
        if (settled.has(target.state)) continue;
        const known = entry?.targets.find((x) => x.channel === target.channel && x.target === target.target);
        if (known?.state === target.state) continue;
        // The status was read before the worker's record arrived: a record's outcome is newer, unless
        // the queue now says the failure is dead for good.
        if (known && settled.has(known.state) && target.state !== 'dead') continue;
        options.alerts.setTarget(t.entryId, {
          channel: target.channel,
          target: target.target,
          state: target.state,
          ...(target.error ? { errorCode: target.error.code, error: target.error.message } : {}),
          attempts: known?.attempts ?? 0,
          at: target.at,
        });
      }
      if (status.state === 'planned' && status.targets.every((x) => settled.has(x.state))) tracked.delete(id);
    }
  };
  let polling = false;
  const timer = setInterval(() => {
    if (polling) return;
    polling = true;
    void poll().finally(() => {
      polling = false;
    });
  }, options.pollMs ?? queueModeDefaults.pollMs);

  return {
    queue,
    async enqueue(event, entryId) {
      entries.set(`${event.alert.id}|${event.type}`, entryId);
      const { id } = await queue.enqueue(event);
      tracked.set(id, { entryId, since: Date.now(), targets: [] });
      while (tracked.size > queueModeDefaults.maxTracked) tracked.delete(tracked.keys().next().value!);
      return { id };
    },
    updateAlertMessages: (alert) => queue.updateAlertMessages(alert),
    async panel() {
      const counts: QueuePanel['counts'] = {
        waiting: 0,
        delayed: 0,
        retrying: 0,
        dead: 0,
        delivered: 0,
        failed: 0,
        other: 0,
      };
      for (const t of tracked.values())
        for (const target of t.targets) {
          const key = target.state in counts ? (target.state as keyof typeof counts) : 'other';
          counts[key]++;
        }
      const deadLetters = await queue.deadLetters.list({ limit: 50 });
      counts.dead = Math.max(counts.dead, deadLetters.length);
      return { counts, deadLetters };
    },
    retry: (id) => queue.deadLetters.retry(id),
    async close() {
      clearInterval(timer);
      await worker.close({ timeoutMs: 5000 });
      await queue.close();
    },
  };
}
