import type { DeliveryRecord } from '@pytake/notify-core';
import { createDeliveryMetrics } from '@pytake/notify-core/metrics';
import { Registry } from 'prom-client';

export interface PreviewMetrics {
  /** Pass to the notifier's `onDelivery`. */
  record(record: DeliveryRecord): void;
  /** Prometheus text format. */
  text(): Promise<string>;
  readonly contentType: string;
}

/**
 * Prometheus metrics for deliveries, from core's `@pytake/notify-core/metrics`: what a service gets
 * by installing the packages. Each app gets its own Registry, so that two previews in one process
 * (the tests start several) keep their counts apart; a service would use the global one.
 */
export function createPreviewMetrics(channels?: readonly string[]): PreviewMetrics {
  const registry = new Registry();
  const metrics = createDeliveryMetrics({ registry, channels });
  return {
    record: metrics.record,
    text: () => registry.metrics(),
    contentType: registry.contentType,
  };
}
