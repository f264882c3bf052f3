import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Gauge, Registry, register } from 'prom-client';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeliveryRecord } from './delivery-record.js';
import { createDeliveryMetrics, deliveryMetricNames } from './metrics.js';

const record = (over: Partial<DeliveryRecord> = {}): DeliveryRecord => ({
  organizationId: 'org_secret_tenant',
  alertId: 'alrt_42',
  eventType: 'alert.created',
  channel: 'email',
  target: 'o…@acme.com',
  status: 'delivered',
  attempts: 1,
  durationMs: 40,
  at: new Date(),
  ...over,
});

describe('createDeliveryMetrics', () => {
  describe('record()', () => {
    it('counts by channel, status and error code and observes attempts and duration of sends', async () => {
      const registry = new Registry();
      const metrics = createDeliveryMetrics({ registry });
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
      metrics.record(
        record({ channel: 'slack', status: 'skipped', reason: 'filtered', attempts: 0, durationMs: 0 }),
      );
      const text = await registry.metrics();
      expect(text).toContain('notify_deliveries_total{channel="email",status="delivered"} 1');
      expect(text).toContain(
        'notify_deliveries_total{channel="slack",status="failed",error_code="timeout"} 1',
      );
      expect(text).toContain('notify_deliveries_total{channel="slack",status="skipped"} 1');
      expect(text).toContain('# TYPE notify_deliveries_total counter');
      expect(text).toContain('# TYPE notify_delivery_duration_seconds histogram');
      expect(text).toContain('notify_delivery_attempts_bucket{le="1",channel="email"} 0');
      expect(text).toContain('notify_delivery_attempts_bucket{le="2",channel="email"} 1');
      // The skipped record tried nothing, so the Slack histograms hold only the failed send.
      expect(text).toContain('notify_delivery_attempts_count{channel="slack"} 1');
      expect(text).toContain('notify_delivery_duration_seconds_sum{channel="email",status="delivered"} 1.5');
      expect(text).toContain('notify_delivery_duration_seconds_count{channel="slack",status="failed"} 1');
    });

    it('is the notifier hook as it is: record works unbound', async () => {
      const registry = new Registry();
      const { record: onDelivery } = createDeliveryMetrics({ registry });
      onDelivery(record());
      expect(await registry.metrics()).toContain(
        'notify_deliveries_total{channel="email",status="delivered"} 1',
      );
    });

    it('starts every channel and status at zero', async () => {
      const registry = new Registry();
      createDeliveryMetrics({ registry });
      const text = await registry.metrics();
      for (const channel of ['email', 'slack', 'slack-api'])
        expect(text).toContain(`notify_deliveries_total{channel="${channel}",status="duplicate"} 0`);
    });
  });

  describe('labels', () => {
    it('never holds an organization, alert, address or URL, and folds unknown values into other', async () => {
      const registry = new Registry();
      const metrics = createDeliveryMetrics({ registry });
      metrics.record(record({ target: 'hooks.slack.com/…a1b2', channel: 'slack' }));
      metrics.record(
        record({
          channel: 'https://hooks.slack.com/services/T0/B0/XXXX',
          status: 'failed',
          error: { code: 'ops@acme.com' as never, message: 'x' },
        }),
      );
      const text = await registry.metrics();
      expect(text).toContain('notify_deliveries_total{channel="other",status="failed",error_code="other"} 1');
      for (const leak of ['org_secret_tenant', 'alrt_42', 'acme.com', 'hooks.slack.com', 'XXXX'])
        expect(text).not.toContain(leak);
      const labels = new Set([...text.matchAll(/[{,]([a-z_]+)="/g)].map((m) => m[1]));
      expect([...labels].sort()).toEqual(['channel', 'error_code', 'le', 'status']);
    });
  });

  describe('registries', () => {
    it('keeps each registry apart', async () => {
      const a = new Registry();
      const b = new Registry();
      createDeliveryMetrics({ registry: a }).record(record());
      createDeliveryMetrics({ registry: b });
      expect(await b.metrics()).toContain('notify_deliveries_total{channel="email",status="delivered"} 0');
    });

    it('reuses the metrics when called twice on one registry', async () => {
      const registry = new Registry();
      const first = createDeliveryMetrics({ registry });
      const second = createDeliveryMetrics({ registry });
      first.record(record());
      second.record(record());
      expect(await registry.metrics()).toContain(
        'notify_deliveries_total{channel="email",status="delivered"} 2',
      );
    });

    it('says which name is taken when the registry holds it as another kind', () => {
      const registry = new Registry();
      new Gauge({ name: 'notify_deliveries_total', help: 'x', registers: [registry] });
      expect(() => createDeliveryMetrics({ registry })).toThrow(/notify_deliveries_total .*another prefix/);
    });

    describe('the default', () => {
      const prefix = 'notify_default_test_';
      afterEach(() => {
        for (const name of Object.values(deliveryMetricNames(prefix))) register.removeSingleMetric(name);
      });

      it("registers on prom-client's global registry, under the given prefix", async () => {
        const metrics = createDeliveryMetrics({ prefix });
        expect(metrics.registry).toBe(register);
        metrics.record(record({ channel: 'slack-api' }));
        expect(await register.metrics()).toContain(
          `${prefix}deliveries_total{channel="slack-api",status="delivered"} 1`,
        );
      });
    });
  });
});

// prom-client is an optional peer: the root entry must work without it installed.
describe('the root entry', () => {
  const src = dirname(fileURLToPath(import.meta.url));

  it('imports no prom-client, directly or through another file', () => {
    const seen = new Set<string>();
    const bare = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of readFileSync(file, 'utf8').matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)) {
        const specifier = m[1]!;
        if (specifier.startsWith('.')) visit(resolve(dirname(file), specifier.replace(/\.js$/, '.ts')));
        else bare.add(specifier);
      }
    };
    visit(join(src, 'index.ts'));
    expect(seen.size).toBeGreaterThan(10);
    expect(seen).not.toContain(join(src, 'metrics.ts'));
    expect(bare).toContain('zod'); // the walk reaches the files that import packages
    expect([...bare].filter((s) => s.startsWith('prom-client'))).toEqual([]);
  });

  const dist = join(src, '../dist');
  it.skipIf(!existsSync(join(dist, 'index.js')))('does not require prom-client in the built files', () => {
    // Every file the built root entry loads, ESM and CJS chunks included.
    const files = new Set(['index.js', 'index.cjs']);
    for (const file of files) {
      for (const m of readFileSync(join(dist, file), 'utf8').matchAll(
        /(?:from\s*|require\()["']\.\/([^"']+)["']/g,
      ))
        files.add(m[1]!);
    }
    for (const file of files)
      expect({ file, text: readFileSync(join(dist, file), 'utf8') }).not.toMatchObject({
        text: expect.stringContaining('prom-client'),
      });
    expect(readFileSync(join(dist, 'metrics.cjs'), 'utf8')).toMatch(/require\(["']prom-client["']\)/);
  });
});
