// The one file of this package that imports prom-client, and only through the
// `@pytake/notify-queue/metrics` subpath: a service without Prometheus never loads it.

import { ROUTE_KINDS, type RouteKind } from '@pytake/notify-core';
import { Gauge, type Registry, register } from 'prom-client';
import { QUEUE_JOB_STATES, type QueueJobCounts } from './job-counts.js';

/** What the gauges read on every scrape: a `NotificationQueue` (its `jobCounts()` and `rateLimitHolds()`). */
export interface JobCountsSource {
  /** Jobs per queue and state. */
  jobCounts(): Promise<QueueJobCounts>;
  /** The targets a 429 holds now, for `notify_queue_rate_limit_holds` (left out: no such gauge). */
  rateLimitHolds?(): Promise<readonly { route: RouteKind }[]>;
}

/** Options of `registerQueueMetrics`. */
export interface QueueMetricsOptions {
  /** Where the gauges are registered. @default prom-client's global `register` */
  registry?: Registry;
  /** Put before every metric name, as core's delivery metrics: `notify_queue_jobs`. @default 'notify_' */
  prefix?: string;
}

/** The gauges `registerQueueMetrics` registers. */
export interface QueueMetrics {
  /** The registry the gauges live on (the global one unless another was given). */
  readonly registry: Registry;
}

/** The defaults of {@link QueueMetricsOptions}. */
export const queueMetricsDefaults = {
  /** @default 'notify_' */
  prefix: 'notify_',
} as const;

/** Metric names, given the prefix. */
export function queueMetricNames(prefix: string = queueMetricsDefaults.prefix) {
  return { jobs: `${prefix}queue_jobs`, rateLimitHolds: `${prefix}queue_rate_limit_holds` } as const;
}

// The queue each gauge reads: a second call on one registry (a hot reload, a new queue object)
// points the gauges that are already registered at the new queue instead of failing on the name.
const sources = new WeakMap<Gauge, JobCountsSource>();

// The gauge `name` of `registry`, registered on first use; read from `sources` on every scrape.
function gaugeOn<Label extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly Label[],
  read: (gauge: Gauge<Label>, source: JobCountsSource) => Promise<void>,
): Gauge<Label> {
  const existing = registry.getSingleMetric(name);
  if (existing !== undefined && !(existing instanceof Gauge))
    throw new TypeError(`The registry already holds ${name} as another kind of metric; pass another prefix`);
  return (
    (existing as Gauge<Label> | undefined) ??
    new Gauge<Label>({
      name,
      help,
      labelNames,
      registers: [registry],
      async collect() {
        this.reset();
        const source = sources.get(this as Gauge);
        if (!source) return;
        try {
          await read(this, source);
        } catch {
          // Redis down: no samples this scrape (reset above), so that a dashboard shows a gap.
          this.reset();
        }
      },
    })
  );
}

/**
 * Registers `notify_queue_jobs{queue,state}` on `registry`: the jobs of each of the queue's BullMQ
 * queues (`events`, `deliveries-email`, `deliveries-slack`, `deliveries-slack-api`, `message-updates`) by state
 * (`waiting`, `delayed`, `active`, `dead`); and `notify_queue_rate_limit_holds{route}`: the targets
 * of each route kind that a 429 holds now (every worker waits for them). Both are read from Redis on
 * every scrape and never in between. When Redis does not answer, the scrape still succeeds and the
 * gauges have no samples (alert on `absent()`), rather than old numbers or a failed `/metrics`.
 * Labels are queue names, states and route kinds only: never an organization, alert, address or URL.
 */
export function registerQueueMetrics(
  queue: JobCountsSource,
  options: QueueMetricsOptions = {},
): QueueMetrics {
  if (!queue || typeof queue.jobCounts !== 'function')
    throw new TypeError(
      'registerQueueMetrics needs the queue from createNotificationQueue() (it has jobCounts())',
    );
  const registry = options.registry ?? register;
  const names = queueMetricNames(options.prefix);
  const jobs = gaugeOn(
    registry,
    names.jobs,
    'Jobs of each queue by state (waiting, delayed, active, dead), read from Redis on scrape.',
    ['queue', 'state'] as const,
    async (gauge, source) => {
      const counts = await source.jobCounts();
      for (const [queueName, byState] of Object.entries(counts)) {
        for (const state of QUEUE_JOB_STATES) gauge.set({ queue: queueName, state }, byState[state] ?? 0);
      }
    },
  );
  sources.set(jobs as Gauge, queue);
  if (typeof queue.rateLimitHolds === 'function') {
    const holds = gaugeOn(
      registry,
      names.rateLimitHolds,
      'Targets of each route kind held by a 429 now (every worker waits), read from Redis on scrape.',
      ['route'] as const,
      async (gauge, source) => {
        const held = (await source.rateLimitHolds?.()) ?? [];
        for (const route of ROUTE_KINDS) gauge.set({ route }, held.filter((h) => h.route === route).length);
      },
    );
    sources.set(holds as Gauge, queue);
  }
  return { registry };
}
