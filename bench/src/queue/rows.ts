import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { AlertEvent } from '@pytake/notify-core';
import { createNotificationQueue, eventJobId } from '@pytake/notify-queue';
import { fixtures } from '@pytake/notify-templates/fixtures';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  atLeast,
  atMost,
  type Budget,
  interleave,
  median,
  ms,
  num,
  percentile,
  type Result,
  type Row,
  rate,
  until,
} from '../harness.js';
import { stormResult } from '../rows/storm.js';
import { startSlackApiFake } from '../servers/slack-api-fake.js';
import { STORM, startStormReceiver } from '../servers/storm-receiver.js';
import { startWebhookSink } from '../servers/webhook-sink.js';
import { type BenchRedis, startRedis } from './redis-server.js';

const benchDir = fileURLToPath(new URL('../..', import.meta.url));
const base = fixtures['created-high'];
let serial = 0;
/** A distinct event (its own alert id) for `organizationId`. */
export const eventFor = (organizationId: string): AlertEvent => ({
  ...base,
  alert: { ...base.alert, id: `q-${process.pid}-${++serial}`, organizationId },
});

interface Tenant {
  organizationId: string;
  slack: { webhooks?: { url: string }[]; channels?: { id: string }[]; threadReplies?: boolean };
}
export const tenantsOn = (url: (path: string) => string, orgs: number): Tenant[] =>
  Array.from({ length: orgs }, (_, i) => ({
    organizationId: `org-${i}`,
    slack: { webhooks: [{ url: url(`/services/T${i}/B${i}/secret${i}`) }] },
  }));

const children = new Set<ChildProcess>();
// A row cut at its ceiling exits without its clean-up: take every worker process along.
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

/** Forks queue/worker-process.mjs and waits (bounded) for its 'ready'. */
export async function startWorker(
  config: {
    mode: 'ours' | 'raw';
    redisPath: string;
    prefix: string;
    tenants: Tenant[];
    limits: boolean;
    concurrency: number;
    /** Deliver the tenants' `slack.channels` through the Web API channel at this base URL. */
    apiBaseUrl?: string;
    /** The worker's `conversation` option, passed as it is; absent: the worker's default. */
    conversation?: boolean;
  },
  timeoutMs: number,
): Promise<ChildProcess> {
  const child = fork(fileURLToPath(new URL('./worker-process.mjs', import.meta.url)), [], {
    cwd: benchDir,
    execArgv: [],
    env: { ...process.env, WORKER_CONFIG: JSON.stringify(config) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  child.once('exit', () => children.delete(child));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`worker process not ready within ${Math.round(timeoutMs / 1000)} s`));
    }, timeoutMs);
    child.once('message', () => {
      clearTimeout(timer);
      resolve();
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker process exited before it was ready (${code})`));
    });
  });
  return child;
}

/** CPU (user + system, ms) the worker processes used so far; bounded wait of 2 s per process. */
async function cpuOf(workers: readonly ChildProcess[]): Promise<number> {
  const each = await Promise.all(
    workers.map(
      (w) =>
        new Promise<number>((resolve) => {
          const timer = setTimeout(() => resolve(Number.NaN), 2000);
          const onMessage = (m: { cpu?: NodeJS.CpuUsage }) => {
            if (!m.cpu) return;
            clearTimeout(timer);
            w.off('message', onMessage);
            resolve((m.cpu.user + m.cpu.system) / 1000);
          };
          w.on('message', onMessage);
          w.send('cpu');
        }),
    ),
  );
  return each.reduce((a, b) => a + b, 0);
}

/** Runs `items` calls of `task` with `inFlight` at a time. */
export async function pool(items: number, inFlight: number, task: (i: number) => Promise<unknown>) {
  let next = 0;
  const lane = async () => {
    while (next < items) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(inFlight, items) }, lane));
}

/** Starts redis and whatever the row needs; stops all of it, whatever happened. */
export async function withRedis<T>(
  run: (redis: BenchRedis, cleanup: (fn: () => unknown) => void) => Promise<T>,
) {
  const redis = await startRedis();
  const cleanups: (() => unknown)[] = [];
  try {
    return await run(redis, (fn) => cleanups.push(fn));
  } finally {
    for (const fn of cleanups.reverse()) await Promise.resolve(fn()).catch(() => {});
    await redis.stop();
  }
}

/**
 * The two sides of the delivery rows, each with one worker process (concurrency 8, no rate limits)
 * and its producer: ours enqueues with `queue.enqueue()`, raw adds a plain BullMQ job that the raw
 * worker renders and posts. Both resolve once Redis has the event.
 */
async function startDeliverySides(
  redis: BenchRedis,
  cleanup: (fn: () => unknown) => void,
  tenants: Tenant[],
  b: Budget,
) {
  const common = { redisPath: redis.connection.path, tenants, limits: false, concurrency: 8 };
  const startTimeout = Math.max(5000, b.left() / 2);
  const [oursWorker, rawWorker] = await Promise.all([
    startWorker({ ...common, mode: 'ours', prefix: '{ours}' }, startTimeout),
    startWorker({ ...common, mode: 'raw', prefix: '{raw}' }, startTimeout),
  ]);
  cleanup(() => oursWorker.kill('SIGKILL'));
  cleanup(() => rawWorker.kill('SIGKILL'));
  const queue = createNotificationQueue({ connection: redis.connection, prefix: '{ours}' });
  cleanup(() => queue.close());
  const client = new Redis({ ...redis.connection, maxRetriesPerRequest: 1 });
  // Stopped with its redis-server at the row's end: a reconnect attempt then is expected.
  client.on('error', () => {});
  const raw = new Queue('raw-deliveries', { connection: client, prefix: '{raw}' });
  cleanup(() => client.quit());
  cleanup(() => raw.close());
  return {
    ours: (event: AlertEvent) => queue.enqueue(event),
    raw: (event: AlertEvent) => raw.add('delivery', { event, organizationId: event.alert.organizationId }),
  };
}

const ENQUEUE_ROUND = 1000;
const IN_FLIGHT = 16;

export const queueEnqueueRow: Row = {
  name: 'queue-enqueue',
  what: `enqueue throughput, rounds of ${ENQUEUE_ROUND} (${IN_FLIGHT} in flight): queue.enqueue(event) vs raw BullMQ Queue.add of the same payload`,
  ceilingMs: 15_000,
  async run(b) {
    return withRedis(async (redis, cleanup) => {
      const queue = createNotificationQueue({ connection: redis.connection, prefix: '{ours}' });
      cleanup(() => queue.close());
      const client = new Redis({ ...redis.connection, maxRetriesPerRequest: 1 });
      // Stopped with its redis-server at the row's end: a reconnect attempt then is expected.
      client.on('error', () => {});
      const raw = new Queue('raw-events', { connection: client, prefix: '{raw}' });
      cleanup(() => client.quit());
      cleanup(() => raw.close());
      const ours = () => pool(ENQUEUE_ROUND, IN_FLIGHT, () => queue.enqueue(eventFor('org-0')));
      const rawAdd = () =>
        pool(ENQUEUE_ROUND, IN_FLIGHT, async () => {
          const event = eventFor('org-0');
          // The same payload and a job id of the same form; no dedup, no options.
          await raw.add('event', { event }, { jobId: eventJobId(event) });
        });
      const s = await interleave(ours, rawAdd, { warmup: 1, pairs: 3, minPairs: 1 }, b);
      const o = (ENQUEUE_ROUND * 1000) / median(s.ours);
      const r = (ENQUEUE_ROUND * 1000) / median(s.raw);
      return [
        {
          name: 'queue enqueue',
          ours: rate(o, 'events'),
          raw: rate(r, 'jobs'),
          ratio: o / r,
          ratioOf: 'ours/raw throughput',
          ...atLeast(o / r, 0.8),
          data: { oursRate: o, rawRate: r, rounds: s.ours.length },
        },
      ];
    });
  },
};

const DELIVERY_ROUND = 400;

export const queueDeliveryRow: Row = {
  name: 'queue-delivery',
  what: `delivery throughput of one worker process, rounds of ${DELIVERY_ROUND} events to a loopback webhook: createDeliveryWorker vs a raw BullMQ Worker doing the same render + POST`,
  ceilingMs: 25_000,
  async run(b) {
    return withRedis(async (redis, cleanup) => {
      let received = 0;
      const sink = await startWebhookSink((_path, _req, res) => {
        received++;
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
      cleanup(() => sink.close());
      const sides = await startDeliverySides(redis, cleanup, tenantsOn(sink.url, 10), b);

      let cut = false;
      // From the first enqueue to the last post received: both sides enqueue, then deliver.
      const round = (add: (i: number) => Promise<unknown>) => async () => {
        received = 0;
        await pool(DELIVERY_ROUND, IN_FLIGHT, add);
        if (!(await until(() => received >= DELIVERY_ROUND, Math.max(1000, b.left()), 5))) cut = true;
      };
      const ours = round((i) => sides.ours(eventFor(`org-${i % 10}`)));
      const rawRound = round((i) => sides.raw(eventFor(`org-${i % 10}`)));
      const s = await interleave(ours, rawRound, { warmup: 1, pairs: 2, minPairs: 1 }, b);
      if (cut) b.hit('a round did not finish');
      const o = (DELIVERY_ROUND * 1000) / median(s.ours);
      const r = (DELIVERY_ROUND * 1000) / median(s.raw);
      return [
        {
          name: 'queue delivery, 1 worker process',
          ours: rate(o, 'deliveries'),
          raw: rate(r, 'deliveries'),
          ratio: o / r,
          ratioOf: 'ours/raw throughput',
          ...atLeast(o / r, 0.8),
          pass: !cut && o / r >= 0.8,
          data: { oursRate: o, rawRate: r, rounds: s.ours.length },
        },
      ];
    });
  },
};

const PACE_PER_SECOND = 200;
const PACE_MS = 1000 / PACE_PER_SECOND;
const PACED_ROUND = 100;
const PACED_ROUNDS = 20;
const PACED_WARMUP = 100;
/** The alert id as the rendered Slack message carries it (its buttons' value), from `eventFor`. */
const ALERT_ID = /"(q-\d+-\d+)"/;

export const queueLatencyRow: Row = {
  name: 'queue-latency',
  what: `latency from enqueue() resolved to the POST received, ${PACE_PER_SECOND} events/s on a schedule, ${PACED_ROUNDS} rounds of ${PACED_ROUND} per side: createDeliveryWorker vs a raw BullMQ Worker doing the same render + POST, one worker process each`,
  ceilingMs: 40_000,
  async run(b) {
    return withRedis(async (redis, cleanup) => {
      // Both stamps are taken in this process, on one clock: enqueue() resolved, and the POST in.
      const resolvedAt = new Map<string, number>();
      const arrivedAt = new Map<string, number>();
      let unmatched = 0;
      const sink = await startWebhookSink(
        (_path, _req, res, body) => {
          const at = performance.now();
          const id = ALERT_ID.exec(body)?.[1];
          if (id) arrivedAt.set(id, at);
          else unmatched++;
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        },
        { body: true },
      );
      cleanup(() => sink.close());
      const sides = await startDeliverySides(redis, cleanup, tenantsOn(sink.url, 10), b);

      const latencies = { ours: [] as number[], raw: [] as number[] };
      const lost = { ours: 0, raw: 0 };
      const rounds = { ours: 0, raw: 0 };
      // How well the schedule was kept: the latest send after its time, and the rate really sent.
      let maxLateMs = 0;
      let sent = 0;
      let sendingMs = 0;
      // One round of one side: send i at t0 + i × PACE_MS (a late send does not delay the next ones),
      // then wait for every post. The first round of each side is its warm-up and is not kept.
      const round = (side: 'ours' | 'raw') => async () => {
        const warm = rounds[side]++ === 0;
        const count = warm ? PACED_WARMUP : PACED_ROUND;
        const ids: string[] = [];
        const sends: Promise<unknown>[] = [];
        const t0 = performance.now();
        for (let i = 0; i < count && !b.overdue(); i++) {
          const due = t0 + i * PACE_MS;
          const wait = due - performance.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
          maxLateMs = Math.max(maxLateMs, performance.now() - due);
          const event = eventFor(`org-${i % 10}`);
          const id = event.alert.id;
          ids.push(id);
          sends.push(
            sides[side](event).then(() => {
              resolvedAt.set(id, performance.now());
            }),
          );
        }
        if (ids.length > 1) {
          sent += ids.length - 1;
          sendingMs += performance.now() - t0;
        }
        await Promise.all(sends);
        await until(() => ids.every((id) => arrivedAt.has(id)), Math.max(2000, b.left()), 5);
        for (const id of ids) {
          const arrived = arrivedAt.get(id);
          const resolved = resolvedAt.get(id);
          if (arrived === undefined || resolved === undefined) lost[side]++;
          else if (!warm) latencies[side].push(arrived - resolved);
          arrivedAt.delete(id);
          resolvedAt.delete(id);
        }
        return ids.length;
      };
      await interleave(round('ours'), round('raw'), { warmup: 1, pairs: PACED_ROUNDS, minPairs: 1 }, b);

      const o50 = percentile(latencies.ours, 0.5);
      const o99 = percentile(latencies.ours, 0.99);
      const r50 = percentile(latencies.raw, 0.5);
      const r99 = percentile(latencies.raw, 0.99);
      const ratio = o99 / r99;
      const complete = lost.ours === 0 && lost.raw === 0 && unmatched === 0;
      if (!complete) b.hit(`lost ${lost.ours} of ours, ${lost.raw} of raw; ${unmatched} posts without an id`);
      return [
        {
          name: `queue latency at ${PACE_PER_SECOND} events/s, 1 worker process`,
          ours: `p50 ${ms(o50)}, p99 ${ms(o99)}`,
          raw: `p50 ${ms(r50)}, p99 ${ms(r99)}`,
          ratio,
          ratioOf: 'ours/raw p99',
          ...atMost(ratio, 2),
          pass: complete && Number.isFinite(ratio) && ratio <= 2,
          note: `${latencies.ours.length} events of ours, ${latencies.raw.length} of raw; p50 ours/raw ${num(o50 / r50)}, max ours ${ms(Math.max(...latencies.ours))}, raw ${ms(Math.max(...latencies.raw))}; sent at ${num((sent * 1000) / sendingMs)}/s, at most ${ms(maxLateMs)} after the schedule`,
          data: {
            ours: { p50: o50, p99: o99, count: latencies.ours.length, lost: lost.ours },
            raw: { p50: r50, p99: r99, count: latencies.raw.length, lost: lost.raw },
            unmatched,
            maxLateMs,
            sendRate: (sent * 1000) / sendingMs,
          },
        },
      ];
    });
  },
};

const CONVERSATION_ALERTS = 50;
const CONVERSATION_WARMUP = 4;
const CONVERSATION_PAIRS = 12;
/** An alert's conversation: created, escalated, resolved, in this order, `occurredAt` increasing. */
const conversationEvents = [fixtures['created-high'], fixtures['escalated-high'], fixtures['resolved-high']];
/** The three events of a new alert (its own id) of `organizationId`. */
const conversationFor = (organizationId: string): AlertEvent[] => {
  const id = `cv-${process.pid}-${++serial}`;
  return conversationEvents.map((event) => ({ ...event, alert: { ...event.alert, id, organizationId } }));
};

export const queueConversationRow: Row = {
  name: 'queue-conversation',
  what: `conversation state on vs off: delivery throughput of one worker process (concurrency 8, no rate limit), rounds of ${CONVERSATION_ALERTS} alerts × 3 events (created, escalated, resolved, enqueued back to back) to a loopback Slack Web API channel with thread replies`,
  ceilingMs: 30_000,
  async run(b) {
    return withRedis(async (redis, cleanup) => {
      const slack = await startSlackApiFake();
      cleanup(() => slack.close());
      const tenants = Array.from({ length: 10 }, (_, i) => ({
        organizationId: `org-${i}`,
        slack: { channels: [{ id: 'C0BENCH01' }], threadReplies: true },
      }));
      const common = {
        mode: 'ours',
        redisPath: redis.connection.path,
        tenants,
        limits: false,
        concurrency: 8,
        apiBaseUrl: slack.baseUrl,
      } as const;
      const startTimeout = Math.max(5000, b.left() / 2);
      // `conversation` is passed to createDeliveryWorker as it is: a worker without the option
      // ignores it, and both sides are then the same worker.
      const workers = await Promise.all([
        startWorker({ ...common, prefix: '{conv-on}', conversation: true }, startTimeout),
        startWorker({ ...common, prefix: '{conv-off}', conversation: false }, startTimeout),
      ]);
      cleanup(() => {
        for (const w of workers) w.kill('SIGKILL');
      });
      const queues = {
        on: createNotificationQueue({ connection: redis.connection, prefix: '{conv-on}' }),
        off: createNotificationQueue({ connection: redis.connection, prefix: '{conv-off}' }),
      };
      cleanup(() => queues.on.close());
      cleanup(() => queues.off.close());

      const deliveries = CONVERSATION_ALERTS * 3;
      const threads = {
        on: { alerts: 0, inOrder: 0, unmatched: 0 },
        off: { alerts: 0, inOrder: 0, unmatched: 0 },
      };
      let cut = false;
      // From the first enqueue to the last call received: every post, and the edit of the parent
      // that follows each resolution posted in a thread.
      const round = (side: 'on' | 'off') => async () => {
        slack.reset();
        await pool(CONVERSATION_ALERTS, IN_FLIGHT, async (i) => {
          // Back to back: each event once Redis has the one before it.
          for (const event of conversationFor(`org-${i % 10}`)) await queues[side].enqueue(event);
        });
        const done = await until(
          () => slack.posts() >= deliveries && slack.updates() >= slack.updatesDue(),
          Math.max(1000, b.left()),
          2,
        );
        if (!done) cut = true;
        const seen = slack.conversations();
        threads[side].alerts += seen.alerts;
        threads[side].inOrder += seen.inOrder;
        threads[side].unmatched += seen.unmatched;
        return deliveries;
      };
      const s = await interleave(
        round('on'),
        round('off'),
        { warmup: CONVERSATION_WARMUP, pairs: CONVERSATION_PAIRS, minPairs: 1 },
        b,
      );
      if (cut) b.hit('a round did not finish');
      const on = (deliveries * 1000) / median(s.ours);
      const off = (deliveries * 1000) / median(s.raw);
      // The median of each pair's ratio (its two rounds ran back to back), not the ratio of the
      // medians: the machine's drift over the run then cancels within each pair.
      const pairRatios = s.oursRate.map((r, i) => r / s.rawRate[i]!);
      const ratio = median(pairRatios);
      const inOrder = (side: 'on' | 'off') => `${side} ${threads[side].inOrder} of ${threads[side].alerts}`;
      const unmatched = threads.on.unmatched + threads.off.unmatched;
      return [
        {
          name: 'queue conversation on / off, 1 worker process',
          ours: rate(on, 'deliveries'),
          raw: rate(off, 'deliveries'),
          ratio,
          ratioOf: 'on/off throughput, median of pairs',
          ...atLeast(ratio, 0.9),
          pass: !cut && Number.isFinite(ratio) && ratio >= 0.9,
          note: `${s.ours.length} timed rounds a side after ${CONVERSATION_WARMUP} of warm-up, pair ratios from ${num(percentile(pairRatios, 0.25))} (p25) to ${num(percentile(pairRatios, 0.75))} (p75); alerts threaded in order (created as the parent, then the escalation and the resolution in its thread, the parent edited once): ${inOrder('on')}, ${inOrder('off')}${unmatched ? `; ${unmatched} calls without a known alert` : ''}`,
          data: {
            onRate: on,
            offRate: off,
            rounds: s.ours.length,
            onRates: s.oursRate,
            offRates: s.rawRate,
            pairRatios,
            threads,
          },
        },
      ];
    });
  },
};

const LATENCY_MS = 200;
const PER_WORKER = 160;

export const queueScalingRow: Row = {
  name: 'queue-scaling',
  what: `scaling with 1, 2 and 4 worker processes (concurrency 8 each) against a receiver that answers in ${LATENCY_MS} ms, ${PER_WORKER} deliveries per process`,
  ceilingMs: 35_000,
  async run(b) {
    return withRedis(async (redis, cleanup) => {
      let received = 0;
      const sink = await startWebhookSink((_path, _req, res) => {
        setTimeout(() => {
          received++;
          res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        }, LATENCY_MS);
      });
      cleanup(() => sink.close());
      const tenants = tenantsOn(sink.url, 10);
      const queue = createNotificationQueue({ connection: redis.connection, prefix: '{ours}' });
      cleanup(() => queue.close());
      const workers: ChildProcess[] = [];
      cleanup(() => {
        for (const w of workers) w.kill('SIGKILL');
      });
      const config = {
        mode: 'ours',
        redisPath: redis.connection.path,
        prefix: '{ours}',
        tenants,
        limits: false,
        concurrency: 8,
      } as const;
      const rates = new Map<number, number>();
      const notes: string[] = [];
      for (const count of [1, 2, 4]) {
        if (b.spent()) {
          b.hit(`stopped before ${count} workers`);
          break;
        }
        const starting = Array.from({ length: count - workers.length }, () =>
          startWorker(config, Math.max(5000, b.left())),
        );
        // Started ones join the list even if another failed, so that the clean-up kills them.
        const started = await Promise.allSettled(starting);
        for (const r of started) if (r.status === 'fulfilled') workers.push(r.value);
        const failed = started.find((r) => r.status === 'rejected');
        if (failed) {
          b.hit(`${count} workers: ${(failed.reason as Error).message}`);
          break;
        }
        const n = PER_WORKER * count;
        received = 0;
        const cpu0 = await cpuOf(workers);
        const t0 = performance.now();
        await pool(n, IN_FLIGHT, (i) => queue.enqueue(eventFor(`org-${i % 10}`)));
        if (!(await until(() => received >= n, Math.max(1000, b.left()), 5))) {
          b.hit(`${count} workers: ${received} of ${n} received`);
          break;
        }
        const wallMs = performance.now() - t0;
        rates.set(count, (n * 1000) / wallMs);
        const cpuMs = (await cpuOf(workers)) - cpu0;
        notes.push(
          `${count}: ${num((n * 1000) / wallMs)}/s of an ideal ${count * 8 * (1000 / LATENCY_MS)}/s, workers busy ${num(cpuMs / wallMs)} cores, ${num(cpuMs / n)} ms CPU per delivery`,
        );
      }
      const one = rates.get(1) ?? Number.NaN;
      const results: Result[] = [];
      for (const [count, bar] of [
        [2, 1.8],
        [4, 3.2],
      ] as const) {
        const r = rates.get(count) ?? Number.NaN;
        results.push({
          name: `queue scaling, ${count} vs 1 worker processes`,
          ours: rate(r, 'deliveries'),
          raw: rate(one, 'deliveries'),
          ratio: r / one,
          ratioOf: `${count} workers / 1 worker`,
          ...atLeast(r / one, bar),
          ...(count === 4 ? { note: `worker processes ${notes.join('; ')}` } : {}),
          data: { rates: Object.fromEntries(rates), notes },
        });
      }
      return results;
    });
  },
};

export const queueStormRow: Row = {
  name: 'queue-storm',
  what: `storm through the queue: ${STORM.events} events, ${STORM.orgs} webhooks at ${STORM.perSecond}/s (burst ${STORM.burst}), 2 worker processes with the shared limiter, vs the ideal`,
  ceilingMs: 40_000,
  async run(b: Budget) {
    return withRedis(async (redis, cleanup) => {
      const sink = await startStormReceiver();
      cleanup(() => sink.close());
      const tenants = tenantsOn(sink.url, STORM.orgs);
      const config = {
        mode: 'ours',
        redisPath: redis.connection.path,
        prefix: '{storm}',
        tenants,
        limits: true,
        concurrency: 8,
      } as const;
      const workers = await Promise.all([0, 1].map(() => startWorker(config, Math.max(5000, b.left() / 2))));
      cleanup(() => {
        for (const w of workers) w.kill('SIGKILL');
      });
      const queue = createNotificationQueue({ connection: redis.connection, prefix: '{storm}' });
      cleanup(() => queue.close());
      const t0 = performance.now();
      await pool(STORM.events, IN_FLIGHT, (i) => queue.enqueue(eventFor(`org-${i % STORM.orgs}`)));
      const done = await until(() => sink.accepted() >= STORM.events, Math.max(1000, b.left() - 2000), 10);
      const seconds = (performance.now() - t0) / 1000;
      if (!done) b.hit(`${sink.accepted()} of ${STORM.events} delivered`);
      return [
        stormResult('storm, through the queue, 2 workers', {
          seconds,
          delivered: sink.accepted(),
          accepted: sink.accepted(),
          repeated429s: sink.repeated429s(),
          first429s: sink.first429s(),
          cut: !done,
        }),
      ];
    });
  },
};

const MEMORY_EVENTS = 20_000;
const MEMORY_WEBHOOKS = 5;
/** The budget that packages/queue/test/memory.test.ts states for 10,000 deliveries. */
const MEMORY_BUDGET_BYTES = 2560;

export const queueMemoryRow: Row = {
  name: 'queue-memory',
  what: `Redis memory per delivery over ${MEMORY_EVENTS * MEMORY_WEBHOOKS} deliveries (${MEMORY_EVENTS} events × ${MEMORY_WEBHOOKS} webhooks, 2 worker processes): used_memory after minus before, per delivery, against the queue test's budget`,
  ceilingMs: 240_000,
  async run(b) {
    return withRedis(async (redis, cleanup) => {
      let received = 0;
      const sink = await startWebhookSink((_path, _req, res) => {
        received++;
        res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
      cleanup(() => sink.close());
      const tenants = Array.from({ length: 10 }, (_, i) => ({
        organizationId: `org-${i}`,
        slack: {
          webhooks: Array.from({ length: MEMORY_WEBHOOKS }, (_, w) => ({
            url: sink.url(`/services/T${i}/B${w}/secret${i}x${w}`),
          })),
        },
      }));
      const config = {
        mode: 'ours',
        redisPath: redis.connection.path,
        prefix: '{memory}',
        tenants,
        limits: false,
        concurrency: 32,
      } as const;
      const workers = await Promise.all([0, 1].map(() => startWorker(config, Math.max(5000, b.left() / 2))));
      cleanup(() => {
        for (const w of workers) w.kill('SIGKILL');
      });
      const queue = createNotificationQueue({ connection: redis.connection, prefix: '{memory}' });
      cleanup(() => queue.close());
      const client = new Redis({ ...redis.connection, maxRetriesPerRequest: 1 });
      client.on('error', () => {});
      cleanup(() => client.quit());
      const usedMemory = async () => Number(/used_memory:(\d+)/.exec(await client.info('memory'))![1]);

      const total = MEMORY_EVENTS * MEMORY_WEBHOOKS;
      const before = await usedMemory();
      const t0 = performance.now();
      // Bounded by the ceiling too: on a loaded machine, fewer events, measured all the same.
      let enqueued = 0;
      await pool(MEMORY_EVENTS, IN_FLIGHT, async (i) => {
        if (b.left() < 30_000) return;
        await queue.enqueue(eventFor(`org-${i % 10}`));
        enqueued++;
      });
      const expected = enqueued * MEMORY_WEBHOOKS;
      const done = await until(() => received >= expected, Math.max(1000, b.left() - 5000), 50);
      // The last records and statuses are written just after the last send.
      for (let i = 0; i < 100 && (await queue.jobCounts())['deliveries-slack'].active > 0; i++)
        await new Promise((r) => setTimeout(r, 50));
      const seconds = (performance.now() - t0) / 1000;
      if (!done || enqueued < MEMORY_EVENTS) b.hit(`${received} of ${total} delivered`);
      const perDelivery = ((await usedMemory()) - before) / Math.max(1, received);
      return [
        {
          name: `Redis memory per delivery, ${num(received)} deliveries`,
          ours: `${Math.round(perDelivery)} B`,
          raw: `budget ${MEMORY_BUDGET_BYTES} B`,
          ratio: perDelivery / MEMORY_BUDGET_BYTES,
          ratioOf: 'ours/budget',
          ...atMost(perDelivery / MEMORY_BUDGET_BYTES, 1),
          pass: done && enqueued === MEMORY_EVENTS && perDelivery <= MEMORY_BUDGET_BYTES,
          note: `${num((received * 1) / seconds)} deliveries/s with 2 worker processes; what stays per delivery is its sent marker (24 h) and status entry (7 days); the records stream and finished jobs are bounded`,
          data: { perDelivery, received, total, seconds, before },
        },
      ];
    });
  },
};
