import type { DeliveryRecord } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
import { createPreviewMetrics } from './metrics.js';

const record = (over: Partial<DeliveryRecord>): DeliveryRecord => ({
  organizationId: 'org_1',
  alertId: 'alrt_1',
  eventType: 'alert.created',
  channel: 'email',
  target: 'ops@acme.com',
  status: 'delivered',
  attempts: 1,
  durationMs: 40,
  at: new Date(),
  ...over,
});

describe('createPreviewMetrics', () => {
  describe('record()', () => {
    it('counts by channel and status and observes attempts and duration of sends', async () => {
      const metrics = createPreviewMetrics();
      metrics.record(record({ attempts: 2, durationMs: 1500 }));
      metrics.record(
        record({
          channel: 'slack',
          status: 'failed',
          attempts: 3,
          durationMs: 20,
          error: { code: 'timeout', message: 'took too long' },
        }),
      );
      metrics.record(record({ channel: 'slack', status: 'skipped', attempts: 0, durationMs: 0 }));
      const text = await metrics.text();
      expect(text).toContain('notify_deliveries_total{channel="email",status="delivered"} 1');
      // Failed records carry their error code (a closed set), never the organization or the target.
      expect(text).toContain(
        'notify_deliveries_total{channel="slack",status="failed",error_code="timeout"} 1',
      );
      expect(text).not.toContain('org_1');
      expect(text).not.toContain('acme.com');
      expect(text).toContain('notify_deliveries_total{channel="slack",status="skipped"} 1');
      expect(text).toContain('notify_delivery_attempts_bucket{le="1",channel="email"} 0');
      expect(text).toContain('notify_delivery_attempts_bucket{le="2",channel="email"} 1');
      // The skipped record tried nothing, so the Slack histogram holds only the failed send.
      expect(text).toContain('notify_delivery_attempts_count{channel="slack"} 1');
      expect(text).toContain('notify_delivery_duration_seconds_sum{channel="email",status="delivered"} 1.5');
    });

    it('starts every channel and status at zero', async () => {
      const text = await createPreviewMetrics().text();
      expect(text).toContain('notify_deliveries_total{channel="slack",status="duplicate"} 0');
      expect(text).toContain('notify_deliveries_total{channel="slack-api",status="delivered"} 0');
    });
  });

  describe('registries', () => {
    it('keeps each instance apart', async () => {
      const a = createPreviewMetrics();
      const b = createPreviewMetrics();
      a.record(record({}));
      expect(await b.text()).toContain('notify_deliveries_total{channel="email",status="delivered"} 0');
    });
  });
});
