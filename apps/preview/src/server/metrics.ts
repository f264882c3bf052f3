import type { DeliveryRecord } from '@pytake/notify-core';
import { DELIVERY_STATUSES } from '@pytake/notify-core';
import { Counter, Histogram, Registry } from 'prom-client';

export interface PreviewMetrics {
  /** Pass to the notifier's `onDelivery`. */
  record(record: DeliveryRecord): void;
  /** Prometheus text format. */
  text(): Promise<string>;
  readonly contentType: string;
}

/**
 * Prometheus metrics for deliveries. Each app gets its own Registry: the global one would collect the
 * same metric twice when tests start several apps in one process, and prom-client throws on that.
 */
export function createPreviewMetrics(channels: readonly string[] = ['email', 'slack']): PreviewMetrics {
  const registry = new Registry();
  const deliveries = new Counter({
    name: 'notify_deliveries_total',
    help: 'Delivery records by channel and status (delivered, failed, skipped, duplicate).',
    labelNames: ['channel', 'status'] as const,
    registers: [registry],
  });
  const attempts = new Histogram({
    name: 'notify_delivery_attempts',
    help: 'Attempts each send took, retries included (1 = first try).',
    labelNames: ['channel'] as const,
    buckets: [1, 2, 3, 4, 5],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'notify_delivery_duration_seconds',
    help: 'Time from the first attempt to delivery or failure, retries included.',
    labelNames: ['channel', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  // Zero series up front, so a dashboard (and the UI panel) shows every channel before the first send.
  for (const channel of channels)
    for (const status of DELIVERY_STATUSES) deliveries.labels(channel, status).inc(0);

  return {
    record(record) {
      deliveries.labels(record.channel, record.status).inc();
      // Skipped and duplicate records never tried to send: counting their 0 attempts would skew the
      // histogram.
      if (record.attempts > 0) {
        attempts.labels(record.channel).observe(record.attempts);
        duration.labels(record.channel, record.status).observe(record.durationMs / 1000);
      }
    },
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
