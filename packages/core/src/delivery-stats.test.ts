import { describe, expect, it } from 'vitest';
import type { DeliveryRecord, DeliveryStatus } from './delivery-record.js';
import { createDeliveryStats } from './delivery-stats.js';

const record = (
  channel: string,
  status: DeliveryStatus,
  durationMs: number,
  attempts = 1,
): DeliveryRecord => ({
  organizationId: 'org_acme',
  alertId: 'alr_1',
  eventType: 'alert.created',
  channel,
  target: '-',
  status,
  attempts,
  durationMs,
  at: new Date(0),
});

describe('createDeliveryStats()', () => {
  it('counts records per channel and status, and attempts per channel', () => {
    const stats = createDeliveryStats();
    stats.record(record('email', 'delivered', 10, 2));
    stats.record(record('email', 'failed', 30, 3));
    stats.record(record('slack', 'skipped', 0, 0));
    stats.record(record('slack', 'duplicate', 0, 0));
    stats.record(record('slack', 'delivered', 5));
    const snapshot = stats.snapshot();
    expect(snapshot.total).toBe(5);
    expect(snapshot.counts).toEqual({
      email: { delivered: 1, partial: 0, failed: 1, skipped: 0, duplicate: 0, digested: 0 },
      slack: { delivered: 1, partial: 0, failed: 0, skipped: 1, duplicate: 1, digested: 0 },
    });
    expect(snapshot.attempts).toEqual({ email: 5, slack: 1 });
  });

  it('summarises latency of sends only, with nearest-rank percentiles', () => {
    const stats = createDeliveryStats();
    for (let ms = 1; ms <= 100; ms++)
      stats.record(record('slack', ms % 10 === 0 ? 'failed' : 'delivered', ms));
    stats.record(record('slack', 'skipped', 100_000));
    expect(stats.snapshot().latency).toEqual({ slack: { count: 100, p50: 50, p95: 95, p99: 99, max: 100 } });
  });

  it('keeps only the most recent maxSamples latencies', () => {
    const stats = createDeliveryStats({ maxSamples: 3 });
    for (const ms of [1000, 1, 2, 3]) stats.record(record('email', 'delivered', ms));
    expect(stats.snapshot().latency.email).toEqual({ count: 3, p50: 2, p95: 3, p99: 3, max: 3 });
    expect(stats.snapshot().counts.email?.delivered).toBe(4);
  });

  it('returns a snapshot that later records do not change', () => {
    const stats = createDeliveryStats();
    stats.record(record('email', 'delivered', 1));
    const before = stats.snapshot();
    stats.record(record('email', 'delivered', 1));
    expect(before.counts.email?.delivered).toBe(1);
    expect(before.total).toBe(1);
  });

  it('is empty before any record', () => {
    expect(createDeliveryStats().snapshot()).toEqual({ counts: {}, attempts: {}, latency: {}, total: 0 });
  });
});
