// Property tests over core's entry points for events: parseAlertEvent (outside data) and the
// idempotency key built from it.
import { deliveryKey, isNotifyError, parseAlertEvent } from '@pytake/notify-core';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { alertEvent, junk, setPath } from './testing/arbitraries.js';
import { checkProperty, generatedInputs, typedOnly } from './testing/property.js';

const EVENT_PATHS = [
  'type',
  'occurredAt',
  'alert',
  'alert.id',
  'alert.title',
  'alert.severity',
  'alert.createdAt',
  'alert.url',
  'alert.metadata',
  'alert.escalationLevel',
  'fromLevel',
  'lastActivityAt',
  'reason',
];
/** An event, a malformed variant of one, or anything at all. */
const eventInput = fc.oneof(
  { weight: 4, arbitrary: alertEvent.map((g) => g.event as unknown) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(alertEvent, fc.constantFrom(...EVENT_PATHS), junk)
      .map(([g, path, value]) => setPath(g.event, path, value)),
  },
  { weight: 2, arbitrary: junk },
);
const SKEW_MS = 60_000;

afterAll(() => console.log(`events: ${generatedInputs()} generated inputs in all`));

describe('parseAlertEvent', () => {
  it('throws only typed errors (ValidationError), never a raw TypeError', () => {
    checkProperty(
      'parseAlertEvent: typed errors only',
      eventInput,
      (input) => {
        typedOnly(() => parseAlertEvent(input), isNotifyError);
      },
      { numRuns: 8_000 },
    );
  });

  it('accepts no event whose dates contradict each other', () => {
    checkProperty(
      'parseAlertEvent: coherent dates',
      alertEvent,
      ({ event }) => {
        const parsed = typedOnly(() => parseAlertEvent(event), isNotifyError);
        if (!parsed.ok) return;
        const e = parsed.value;
        const created = e.alert.createdAt.getTime();
        expect(e.occurredAt.getTime()).toBeGreaterThanOrEqual(created - SKEW_MS);
        if (e.type === 'alert.stale') {
          expect(e.lastActivityAt.getTime()).toBeGreaterThanOrEqual(created - SKEW_MS);
          expect(e.lastActivityAt.getTime()).toBeLessThanOrEqual(e.occurredAt.getTime() + SKEW_MS);
        }
      },
      { numRuns: 4_000 },
    );
  });
});

describe('deliveryKey', () => {
  // Org `acme` with alert `eu:db-down` and org `acme:eu` with alert `db-down` are different alerts.
  it('gives different notifications different keys', () => {
    const part = fc.stringMatching(/^[a-z:@]{1,6}$/);
    checkProperty(
      'deliveryKey: no collisions',
      fc.tuple(part, part, part, fc.constantFrom('email', 'slack', 'slackApi') as fc.Arbitrary<'email'>),
      ([x, y, z, route]) => {
        const at = new Date('2026-01-31T14:30:00Z');
        const event = (organizationId: string, id: string) =>
          parseAlertEvent({
            type: 'alert.created',
            occurredAt: at,
            alert: { id, organizationId, title: 't', severity: 'low', category: 'c', createdAt: at },
          });
        const target = { route, targetId: 'f' };
        const a = deliveryKey(event(x, `${y}:${z}`), target);
        const b = deliveryKey(event(`${x}:${y}`, z), target);
        expect(a).not.toBe(b);
      },
      { numRuns: 5_000 },
    );
  });
});
