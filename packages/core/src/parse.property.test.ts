import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigError, ValidationError } from './errors.js';
import { type AlertEventInput, parseAlertEvent } from './events.js';
import { createNotifier } from './notifier.js';
import { asParsedAlertEvent } from './parsed-alert-event.js';
import { parseTenantConfig, type TenantConfig } from './tenant.js';

// Outside data (a queue message, a request body, a database row) reaches these two functions as it
// is: whatever it holds, they answer with the value or a typed error naming the field, never a raw
// TypeError from deep inside.

const alert = {
  id: 'alr_1',
  organizationId: 'org_acme',
  title: 'Disk almost full',
  severity: 'high',
  category: 'system',
  createdAt: '2026-01-31T14:30:00Z',
};
const events = [
  { type: 'alert.created', alert, occurredAt: '2026-01-31T14:30:05Z' },
  { type: 'alert.escalated', alert, occurredAt: '2026-01-31T15:00:00Z', fromLevel: 1, toLevel: 2 },
  { type: 'alert.resolved', alert, occurredAt: '2026-02-01T10:00:00Z' },
  { type: 'alert.stale', alert, occurredAt: '2026-02-03T10:00:00Z', lastActivityAt: '2026-02-01T10:00:00Z' },
];
const tenants = [
  {
    organizationId: 'org_acme',
    email: { to: ['ops@acme.com', { email: 'cto@acme.com', name: 'CTO' }], cc: ['a@acme.com'] },
    slack: {
      webhooks: [{ url: 'https://hooks.slack.com/services/T0/B0/x', name: '#alerts' }],
      channels: [{ id: 'C024BE91L' }],
      mentionOnEscalation: ['U024BE7LH'],
    },
  },
];

const anything = fc.anything({
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withBigInt: true,
});
const json = fc.oneof(fc.jsonValue(), anything);

/** A valid input with up to three values replaced, anywhere in it, by anything at all. */
function mutated(bases: readonly object[]) {
  return fc
    .tuple(fc.constantFrom(...bases), fc.array(fc.tuple(fc.nat(), fc.nat(), json), { maxLength: 3 }))
    .map(([value, changes]) => {
      const copy = structuredClone(value) as Record<string, unknown>;
      for (const [a, b, replacement] of changes) {
        // Walk down at most two levels, picking keys by index, then replace that value.
        let node: Record<string, unknown> = copy;
        const keys = Object.keys(node);
        const first = keys[a % keys.length]!;
        const child = node[first];
        if (child && typeof child === 'object' && b % 2 === 0) {
          node = child as Record<string, unknown>;
          const inner = Object.keys(node);
          try {
            if (inner.length > 0) node[inner[b % inner.length]!] = replacement;
          } catch {
            // A boxed String's characters are read-only: leave it.
          }
        } else {
          node[first] = replacement;
        }
      }
      return copy;
    });
}

const typed = (error: unknown, kind: typeof ValidationError | typeof ConfigError) => {
  if (error instanceof kind) {
    expect(error.issues.length).toBeGreaterThan(0);
    return;
  }
  throw error;
};

describe('outside data', () => {
  it('parseAlertEvent() throws only ValidationError, and agrees with the fast path', () => {
    fc.assert(
      fc.property(fc.oneof(json, mutated(events)), (input) => {
        let parsed: unknown;
        try {
          parsed = parseAlertEvent(input);
        } catch (error) {
          typed(error, ValidationError);
          expect(asParsedAlertEvent(input)).toBeUndefined();
          return;
        }
        // A parsed event is what the fast path takes as it is.
        expect(asParsedAlertEvent(parsed)).toBe(parsed);
      }),
      { numRuns: 2000 },
    );
  }, 120_000);

  it('parseTenantConfig() throws only ConfigError', () => {
    fc.assert(
      fc.property(fc.oneof(json, mutated(tenants)), (input) => {
        try {
          parseTenantConfig(input);
        } catch (error) {
          typed(error, ConfigError);
        }
      }),
      { numRuns: 2000 },
    );
  }, 120_000);

  it('notify() resolves for any directory row, with config failures for bad ones', async () => {
    const channel = { kind: 'test', send: async () => ({ attempts: 1, durationMs: 0 }) };
    await fc.assert(
      fc.asyncProperty(fc.oneof(json, mutated(tenants)), async (row) => {
        const notifier = createNotifier({
          directory: { get: async () => row as TenantConfig },
          routes: {
            email: { channel, render: () => ({ subject: 's', html: 'h' }) },
            slack: { channel, render: () => 'm' },
            slackApi: { channel, render: () => 'm' },
          },
        });
        const report = await notifier.notify(events[1] as AlertEventInput);
        for (const record of report.records) {
          if (record.status === 'failed') expect(record.error?.code).toBe('config');
        }
      }),
      { numRuns: 300 },
    );
  }, 120_000);
});
