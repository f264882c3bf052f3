import { DELIVERY_STATUSES, type DeliveryRecord, type DeliveryStatus } from './delivery-record.js';

/** Send latencies of one channel, in milliseconds: the number of samples and their percentiles. */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

/** The counts and latencies of `createDeliveryStats` at one moment. */
export interface DeliveryStatsSnapshot {
  /** Records per channel and status. */
  counts: Record<string, Record<DeliveryStatus, number>>;
  /** Attempts made per channel (retries included). */
  attempts: Record<string, number>;
  /** Latency of sends (delivered, partial or failed) per channel, over the most recent samples. */
  latency: Record<string, LatencySummary>;
  total: number;
}

/** In-memory delivery counters and latencies; pass its `record` as the notifier's `onDelivery`. */
export interface DeliveryStats {
  /** Pass it as the notifier's `onDelivery`. */
  record(record: DeliveryRecord): void;
  /** The counts and latency percentiles so far. */
  snapshot(): DeliveryStatsSnapshot;
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/** Options of `createDeliveryStats`. */
export interface DeliveryStatsOptions {
  /** Latency samples kept per channel; older ones are dropped. @default 1000 */
  maxSamples?: number;
}

/** The defaults of {@link DeliveryStatsOptions}. */
export const deliveryStatsDefaults = { maxSamples: 1000 } as const;

/**
 * Counters per channel and status plus latency percentiles, in memory. Latency keeps the last
 * `maxSamples` sends per channel, so memory stays flat in a long-running service.
 */
export function createDeliveryStats(options: DeliveryStatsOptions = {}): DeliveryStats {
  const maxSamples = options.maxSamples ?? deliveryStatsDefaults.maxSamples;
  const counts: DeliveryStatsSnapshot['counts'] = {};
  const attempts: Record<string, number> = {};
  const samples: Record<string, number[]> = {};
  let total = 0;

  return {
    record(record) {
      total++;
      counts[record.channel] ??= Object.fromEntries(DELIVERY_STATUSES.map((s) => [s, 0])) as Record<
        DeliveryStatus,
        number
      >;
      counts[record.channel]![record.status]++;
      attempts[record.channel] = (attempts[record.channel] ?? 0) + record.attempts;
      if (record.status === 'delivered' || record.status === 'partial' || record.status === 'failed') {
        samples[record.channel] ??= [];
        const list = samples[record.channel]!;
        list.push(record.durationMs);
        if (list.length > maxSamples) list.shift();
      }
    },
    snapshot() {
      const latency: Record<string, LatencySummary> = {};
      for (const [channel, list] of Object.entries(samples)) {
        const sorted = [...list].sort((a, b) => a - b);
        latency[channel] = {
          count: sorted.length,
          p50: percentile(sorted, 50),
          p95: percentile(sorted, 95),
          p99: percentile(sorted, 99),
          max: sorted.at(-1) ?? 0,
        };
      }
      return { counts: structuredClone(counts), attempts: { ...attempts }, latency, total };
    },
  };
}
