import { type AlertEvent, type FoldedEvent, parseAlertEvent, type RouteKind } from '@pytake/notify-core';
import type { Queue } from 'bullmq';
import { runScript } from './commands/index.js';
import { deliveryJobOptions } from './delivery-job-options.js';
import type { DeliveryJobData } from './job-data.js';
import type { QueueKeys, StormTarget } from './queue-keys.js';
import type { RedisClient } from './redis-connection.js';
import type { WorkerSettings } from './worker-options.js';

/** One storm digest of one target, as its job names it. */
export interface DigestRef extends StormTarget {
  digestId: string;
  /** When its interval ends, by Redis's clock (ms since the epoch). */
  dueAt: number;
}

/** The job id of a digest: one job per digest, whichever worker adds it. */
export const digestJobId = (digestId: string) => `dgs-${digestId}`;

/** A digest's member in `digestsDue` after `<digestId>|`: what it takes to add its job again. */
export const digestDueMember = (target: StormTarget) =>
  JSON.stringify([target.organizationId, target.route, target.targetId]);

/** A digest's whole member in `digestsDue`, as commands/storm-fold.lua adds it. */
export const digestDueEntry = (digest: DigestRef) => `${digest.digestId}|${digestDueMember(digest)}`;

/** The data of a digest's job: a delivery job of its target whose `digest` names what to send. */
export function digestJobData(digest: DigestRef): DeliveryJobData {
  return {
    eventId: digestJobId(digest.digestId),
    organizationId: digest.organizationId,
    alertId: '-',
    eventType: 'alert.created',
    targetId: digest.targetId,
    digest: { id: digest.digestId, dueAt: digest.dueAt },
  };
}

/**
 * Adds the job that sends `digest` when its interval ends, to its route's delivery queue (so that
 * it takes a slot of the same shared rate limit). Adding it again is a no-op while it exists.
 */
export async function addDigestJob(
  queue: Queue<DeliveryJobData>,
  settings: Pick<WorkerSettings, 'deliveryAttempts'>,
  digest: DigestRef,
): Promise<void> {
  await queue.add('digest', digestJobData(digest), {
    ...deliveryJobOptions(settings),
    jobId: digestJobId(digest.digestId),
    delay: Math.max(0, digest.dueAt - Date.now()),
  });
}

/** A folded delivery, as the held hash keeps it. */
export interface HeldDelivery extends FoldedEvent {
  eventId: string;
}

/** What a digest holds: Redis's time, and its events (empty once it is over). */
export interface HeldDigest {
  now: number;
  /** The latest event of each alert, in the order the alerts first came. */
  events: AlertEvent[];
  /** Every delivery folded into it. */
  folded: HeldDelivery[];
}

/** Reads digest `digestId` of `target` from the held hash (see commands/storm-fold.lua). */
export async function readDigest(
  redis: RedisClient,
  keys: QueueKeys,
  target: StormTarget,
  digestId: string,
): Promise<HeldDigest> {
  const [now, ...fields] = (await runScript(redis, 'stormRead', [keys.held(target)], [digestId])) as [
    number,
    ...string[],
  ];
  const alerts: { seq: number; value: AlertEvent }[] = [];
  const folded: { seq: number; value: HeldDelivery }[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    const field = fields[i]!;
    const value = fields[i + 1]!;
    if (field.startsWith('e|')) {
      // `score|seq|json`
      const [seq, json] = afterBar(value.slice(value.indexOf('|') + 1));
      alerts.push({ seq, value: parseAlertEvent(JSON.parse(json)) });
    } else if (field.startsWith('m|')) {
      // `seq|json`
      const [seq, json] = afterBar(value);
      folded.push({ seq, value: JSON.parse(json) as HeldDelivery });
    }
  }
  return { now: Number(now), events: inOrder(alerts), folded: inOrder(folded) };
}

// `seq|rest` → [seq, rest]
function afterBar(value: string): [number, string] {
  const bar = value.indexOf('|');
  return [Number(value.slice(0, bar)), value.slice(bar + 1)];
}

// In the order they came (the storm's `seq`): HGETALL answers in no particular order.
const inOrder = <T>(items: { seq: number; value: T }[]): T[] =>
  items.sort((a, b) => a.seq - b.seq).map((item) => item.value);

/**
 * Adds the job of every digest overdue by more than `graceMs` again: a worker that folded the first
 * event of a digest and died before adding its job leaves it in `digestsDue`, and a digest is over
 * (out of the set) only once its outcome is written. Runs every `everyMs` until the returned stop.
 */
export function watchDigestsDue(options: {
  redis: RedisClient;
  keys: QueueKeys;
  queues: Record<RouteKind, Queue<DeliveryJobData>>;
  served: readonly RouteKind[];
  settings: Pick<WorkerSettings, 'deliveryAttempts'>;
  everyMs: number;
  graceMs: number;
  onError?: (error: Error) => void;
}): () => void {
  const sweep = async () => {
    const members = await options.redis.zrangebyscore(
      options.keys.digestsDue,
      '-inf',
      Date.now() - options.graceMs,
      'WITHSCORES',
      'LIMIT',
      0,
      100,
    );
    for (let i = 0; i < members.length; i += 2) {
      const member = members[i]!;
      const bar = member.indexOf('|');
      const [organizationId, route, targetId] = JSON.parse(member.slice(bar + 1)) as [
        string,
        RouteKind,
        string,
      ];
      if (!options.served.includes(route)) continue;
      await addDigestJob(options.queues[route], options.settings, {
        digestId: member.slice(0, bar),
        organizationId,
        route,
        targetId,
        dueAt: Number(members[i + 1]),
      });
    }
  };
  const timer = setInterval(() => {
    sweep().catch((error: Error) => options.onError?.(error));
  }, options.everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
