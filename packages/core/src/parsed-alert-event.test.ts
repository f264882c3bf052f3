import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alertSchema } from './alert.js';
import { alertEventSchema, parseAlertEvent } from './events.js';
import { asParsedAlertEvent } from './parsed-alert-event.js';

const alert = {
  id: 'alr_1',
  organizationId: 'org_acme',
  title: 'Disk almost full on db-1',
  severity: 'high',
  category: 'system',
  createdAt: '2026-01-31T14:30:00Z',
  url: 'https://app.pytake.net/alerts/alr_1',
};
const inputs = [
  { type: 'alert.created', alert, occurredAt: '2026-01-31T14:30:05Z' },
  {
    type: 'alert.escalated',
    alert,
    occurredAt: '2026-01-31T15:00:00Z',
    fromLevel: 1,
    toLevel: 3,
    reason: 'No ack',
  },
  { type: 'alert.resolved', alert, occurredAt: '2026-02-01T10:00:00Z', resolvedBy: 'Ana' },
  {
    type: 'alert.stale',
    alert,
    occurredAt: '2026-02-03T10:00:00Z',
    lastActivityAt: '2026-02-01T10:00:00Z',
  },
];
const parsed = inputs.map((input) => parseAlertEvent(input));

// Every key the schemas list (plus one they do not), taken from the schemas, not by hand: a field
// added to a schema without a check in the fast path is mutated here and fails the property.
const alertKeys = [...Object.keys(alertSchema.shape), 'extra'];
const eventKeys = [
  ...new Set(alertEventSchema.options.flatMap((variant) => Object.keys(variant.shape))),
  'extra',
];
const anyValue = fc.oneof(
  {
    weight: 8,
    arbitrary: fc.constantFrom(
      undefined,
      null,
      '',
      ' https://app.pytake.net/x',
      'https://app.pytake.net/a\tb',
      'javascript:alert(1)',
      'http:app.pytake.net/x',
      'https:/x',
      'https://app.pytake.net/x\u0001',
      'https://exa mple.com',
      'HTTPS://APP.PYTAKE.NET/X',
      'urgent',
      'critical',
      'resolved',
      'alert.stale',
      'x'.repeat(256),
      new Date(Number.NaN),
      new Date('2026-01-01T00:00:00Z'),
      new Date('2020-01-01T00:00:00Z'),
      new Date('2026-01-31T14:29:00Z'),
      new Date('2026-01-31T14:28:59.999Z'),
      new Date('2026-02-03T10:01:00Z'),
      new Date('2026-02-03T10:01:00.001Z'),
      new Date('2030-01-01T00:00:00Z'),
      '2026-01-01T00:00:00Z',
      [],
      { a: 1 },
      Object.create({ inherited: true }),
      0,
      2,
      4,
      1.5,
    ),
  },
  fc.string(),
  fc.integer(),
  fc.anything({ withDate: true, withBoxedValues: true, withNullPrototype: true, withBigInt: true }),
);

/** One change to a parsed event: a field of the event or of its alert set to a value. */
const change = fc.oneof(
  fc.record({ inAlert: fc.constant(true), key: fc.constantFrom(...alertKeys), value: anyValue }),
  fc.record({ inAlert: fc.constant(false), key: fc.constantFrom(...eventKeys), value: anyValue }),
);

describe('asParsedAlertEvent()', () => {
  it('returns an event parseAlertEvent returned, as the same object', () => {
    for (const event of parsed) expect(asParsedAlertEvent(event)).toBe(event);
  });

  it('leaves raw input (ISO strings, missing defaults) to zod', () => {
    for (const input of inputs) expect(asParsedAlertEvent(input)).toBeUndefined();
  });

  it('says yes only when parseAlertEvent would accept the event and return an equal one', () => {
    fc.assert(
      fc.property(fc.constantFrom(...parsed), fc.array(change, { maxLength: 3 }), (event, changes) => {
        const candidate: Record<string, unknown> = { ...event, alert: { ...event.alert } };
        for (const { inAlert, key, value } of changes) {
          const target = inAlert ? candidate.alert : candidate;
          // An earlier change may have replaced the alert by something that holds no fields.
          if (typeof target !== 'object' || target === null) continue;
          try {
            (target as Record<string, unknown>)[key] = value;
          } catch {
            // a read-only value (a boxed String's characters): leave it
          }
        }
        const fast = asParsedAlertEvent(candidate);
        if (fast === undefined) return;
        expect(fast).toBe(candidate);
        expect(parseAlertEvent(candidate)).toEqual(candidate);
      }),
      { numRuns: 5000 },
    );
  });

  it('turns down what zod would trim, reject or strip', () => {
    const [created] = parsed;
    const withAlert = (extra: Record<string, unknown>) => ({
      ...created,
      alert: { ...created!.alert, ...extra },
    });
    expect(asParsedAlertEvent(withAlert({ url: ' https://app.pytake.net/x' }))).toBeUndefined();
    expect(asParsedAlertEvent(withAlert({ url: 'javascript:alert(1)' }))).toBeUndefined();
    expect(asParsedAlertEvent(withAlert({ url: 'https://app.pytake.net/a\tb' }))).toBeUndefined();
    expect(asParsedAlertEvent(withAlert({ url: 'http:app.pytake.net' }))).toBeUndefined();
    expect(asParsedAlertEvent(withAlert({ createdAt: new Date(Number.NaN) }))).toBeUndefined();
    expect(asParsedAlertEvent(withAlert({ severity: 'urgent' }))).toBeUndefined();
    expect(asParsedAlertEvent(withAlert({ title: 'x'.repeat(256) }))).toBeUndefined();
    expect(asParsedAlertEvent(withAlert({ unknown: 1 }))).toBeUndefined();
    expect(asParsedAlertEvent({ ...created, extra: 1 })).toBeUndefined();
  });

  it('turns down dates that contradict each other, as zod does', () => {
    const [created, , resolved, stale] = parsed;
    expect(
      asParsedAlertEvent({ ...resolved!, occurredAt: new Date('2021-01-01T00:00:00Z') }),
    ).toBeUndefined();
    expect(asParsedAlertEvent({ ...created!, occurredAt: new Date('2026-01-31T14:28:59Z') })).toBeUndefined();
    expect(
      asParsedAlertEvent({ ...stale!, lastActivityAt: new Date('2030-01-01T00:00:00Z') }),
    ).toBeUndefined();
    expect(
      asParsedAlertEvent({ ...stale!, lastActivityAt: new Date('2020-01-01T00:00:00Z') }),
    ).toBeUndefined();
    const skewed = { ...created!, occurredAt: new Date('2026-01-31T14:29:30Z') };
    expect(asParsedAlertEvent(skewed)).toBe(skewed);
  });
});
