// The one file of this package that imports prom-client, and only through the
// `@pytake/notify-core/metrics` subpath: a service without Prometheus never loads it.
import { Counter, Histogram, type Registry, register } from 'prom-client';
import { DELIVERY_STATUSES, type DeliveryRecord, type DeliveryStatus } from './delivery-record.js';
import type { NotifyErrorCode } from './errors.js';
import { recordChannel } from './routes.js';

/** Options of `createDeliveryMetrics`. */
export interface DeliveryMetricsOptions {
  /** Where the metrics are registered. @default prom-client's global `register` */
  registry?: Registry;
  /** Put before every metric name, e.g. `notify_deliveries_total`. @default 'notify_' */
  prefix?: string;
  /**
   * Channels whose `deliveries_total` series start at zero for every status, so that a dashboard
   * shows them (and `rate()` works) before the first send.
   * @default ['email', 'slack', 'slack-api']
   */
  channels?: readonly string[];
  /** Upper bounds of the duration histogram, in seconds. @default 5 ms to 30 s */
  durationBuckets?: readonly number[];
  /** Upper bounds of the attempts histogram. @default [1, 2, 3, 4, 5] */
  attemptBuckets?: readonly number[];
}

/** Prometheus counters and a histogram of deliveries; made by `createDeliveryMetrics`. */
export interface DeliveryMetrics {
  /** Counts one record; pass it as the notifier's `onDelivery`. */
  record(record: DeliveryRecord): void;
  /** The registry the metrics live on (the global one unless another was given). */
  readonly registry: Registry;
}

/** The defaults of {@link DeliveryMetricsOptions}. */
export const deliveryMetricsDefaults = {
  /** @default 'notify_' */
  prefix: 'notify_',
  /** @default ['email', 'slack', 'slack-api'] */
  channels: Object.values(recordChannel) as readonly string[],
  /** @default [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] */
  durationBuckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30] as readonly number[],
  /** @default [1, 2, 3, 4, 5] */
  attemptBuckets: [1, 2, 3, 4, 5] as readonly number[],
} as const;

/**
 * Metric names, given the prefix. The queue's gauges follow the same scheme
 * (`${prefix}queue_jobs{queue,state}`), so one prefix names everything a service gets from us.
 */
export function deliveryMetricNames(prefix: string = deliveryMetricsDefaults.prefix) {
  return {
    deliveries: `${prefix}deliveries_total`,
    duration: `${prefix}delivery_duration_seconds`,
    attempts: `${prefix}delivery_attempts`,
  } as const;
}

// Every label value comes from a closed set, so the number of series is bounded whatever the records
// hold: a channel or code this version does not know (a newer package beside it) counts as `other`.
const ERROR_CODES = [
  'validation',
  'config',
  'auth',
  'timeout',
  'rate_limited',
  'transient',
  'permanent',
  'aborted',
] as const satisfies readonly NotifyErrorCode[];
// Fails to compile when NotifyErrorCode gains a code that the list above lacks.
const everyCode: Record<NotifyErrorCode, true> = Object.fromEntries(
  ERROR_CODES.map((c) => [c, true]),
) as Record<(typeof ERROR_CODES)[number], true>;
const knownChannels = new Set<string>(Object.values(recordChannel));
const knownStatuses = new Set<string>(DELIVERY_STATUSES);
const knownCodes = new Set<string>(Object.keys(everyCode));

const bounded = (value: string, known: { has(value: string): boolean }) =>
  known.has(value) ? value : 'other';

// prom-client throws when a name is registered twice on one registry; a second call (two notifiers in
// one service, a hot reload) reuses what the first one registered instead.
function reuse<M>(registry: Registry, name: string, kind: new (...args: never[]) => M, create: () => M): M {
  const existing = registry.getSingleMetric(name);
  if (existing === undefined) return create();
  if (existing instanceof kind) return existing as M;
  throw new TypeError(`The registry already holds ${name} as another kind of metric; pass another prefix`);
}

/**
 * Turns delivery records into Prometheus metrics (prom-client) on `registry`:
 * - `notify_deliveries_total{channel,status,error_code}`: counter; `error_code` only on `failed`;
 * - `notify_delivery_duration_seconds{channel,status}`: histogram of sends (skips, duplicates and
 *   digested events tried nothing and are not observed);
 * - `notify_delivery_attempts{channel}`: histogram of attempts per send, retries included.
 *
 * Labels never hold an organization, alert, address or URL. Calling it twice on one registry returns
 * a recorder on the same metrics.
 */
export function createDeliveryMetrics(options: DeliveryMetricsOptions = {}): DeliveryMetrics {
  const registry = options.registry ?? register;
  const names = deliveryMetricNames(options.prefix);
  const deliveries = reuse(
    registry,
    names.deliveries,
    Counter,
    () =>
      new Counter({
        name: names.deliveries,
        help: 'Delivery records by channel, status and, for failed ones, error code.',
        labelNames: ['channel', 'status', 'error_code'] as const,
        registers: [registry],
      }),
  );
  const duration = reuse(
    registry,
    names.duration,
    Histogram,
    () =>
      new Histogram({
        name: names.duration,
        help: 'Time from the first attempt to delivery or failure, retries included, in seconds.',
        labelNames: ['channel', 'status'] as const,
        buckets: [...(options.durationBuckets ?? deliveryMetricsDefaults.durationBuckets)],
        registers: [registry],
      }),
  );
  const attempts = reuse(
    registry,
    names.attempts,
    Histogram,
    () =>
      new Histogram({
        name: names.attempts,
        help: 'Attempts each send took, retries included (1 = first try).',
        labelNames: ['channel'] as const,
        buckets: [...(options.attemptBuckets ?? deliveryMetricsDefaults.attemptBuckets)],
        registers: [registry],
      }),
  );
  for (const channel of options.channels ?? deliveryMetricsDefaults.channels) {
    for (const status of DELIVERY_STATUSES)
      deliveries.inc({ channel: bounded(channel, knownChannels), status }, 0);
  }

  return {
    registry,
    record(record) {
      const channel = bounded(record.channel, knownChannels);
      const status = bounded(record.status, knownStatuses) as DeliveryStatus;
      // Absent on other statuses, which Prometheus reads as error_code="".
      const errorCode =
        record.error && status === 'failed' ? bounded(record.error.code, knownCodes) : undefined;
      deliveries.inc(errorCode ? { channel, status, error_code: errorCode } : { channel, status });
      // Skipped, duplicate and digested records never tried to send: their 0 attempts would skew
      // the histograms.
      if (record.attempts > 0) {
        attempts.observe({ channel }, record.attempts);
        duration.observe({ channel, status }, record.durationMs / 1000);
      }
    },
  };
}
