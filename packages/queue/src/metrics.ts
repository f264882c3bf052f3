// The one file of this package that imports prom-client, and only through the
// `@pytake/notify-queue/metrics` subpath: a service without Prometheus never loads it.
import { Gauge, type Registry, register } from 'prom-client';
import { QUEUE_JOB_STATES, type QueueJobCounts } from './job-counts.js';

/** What the gauges read on every scrape: a `NotificationQueue` (its `jobCounts()`). */
export interface JobCountsSource {
  /** Jobs per queue and state. */
  jobCounts(): Promise<QueueJobCounts>;
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
  return { jobs: `${prefix}queue_jobs` } as const;
}

// The queue each gauge reads: a second call on one registry (a hot reload, a new queue object)
// points the gauge that is already registered at the new queue instead of failing on the name.
const sources = new WeakMap<Gauge, JobCountsSource>();

/**
 * Registers `notify_queue_jobs{queue,state}` on `registry`: the jobs of each of the queue's BullMQ
 * queues (`events`, `deliveries-email`, `deliveries-slack`, `deliveries-slack-api`) by state
 * (`waiting`, `delayed`, `active`, `dead`), read from Redis on every scrape and never in between.
 * When Redis does not answer, the scrape still succeeds and the gauge has no samples (alert on
 * `absent()`), rather than old numbers or a failed `/metrics`. Labels are queue names and states only:
 * never an organization, alert, address or URL.
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
  const name = queueMetricNames(options.prefix).jobs;
  const existing = registry.getSingleMetric(name);
  if (existing !== undefined && !(existing instanceof Gauge))
    throw new TypeError(`The registry already holds ${name} as another kind of metric; pass another prefix`);
  const gauge =
    (existing as Gauge<'queue' | 'state'> | undefined) ??
    new Gauge({
      name,
      help: 'Jobs of each queue by state (waiting, delayed, active, dead), read from Redis on scrape.',
      labelNames: ['queue', 'state'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        const source = sources.get(this as Gauge);
        if (!source) return;
        let counts: QueueJobCounts;
        try {
          counts = await source.jobCounts();
        } catch {
          // Redis down: no samples this scrape (reset above), so that a dashboard shows a gap.
          return;
        }
        for (const [queueName, byState] of Object.entries(counts)) {
          for (const state of QUEUE_JOB_STATES) this.set({ queue: queueName, state }, byState[state] ?? 0);
        }
      },
    });
  sources.set(gauge as Gauge, queue);
  return { registry };
}
