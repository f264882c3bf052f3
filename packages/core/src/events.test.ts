import { describe, expect, it } from 'vitest';
import { atLeastSeverity } from './alert.js';
import { isNotifyError, ValidationError } from './errors.js';
import {
  type AlertResolvedEvent,
  type AlertStaleEvent,
  escalationTarget,
  inactiveFor,
  parseAlertEvent,
  resolutionDuration,
} from './events.js';

const alert = {
  id: 'alr_1',
  organizationId: 'org_acme',
  title: 'Disk almost full on db-1',
  severity: 'high',
  category: 'system',
  createdAt: '2026-01-31T14:30:00Z',
};
const created = { type: 'alert.created', alert, occurredAt: '2026-01-31T14:30:05Z' };

function validationError(input: unknown): ValidationError {
  try {
    parseAlertEvent(input);
  } catch (error) {
    if (error instanceof ValidationError) return error;
    throw error;
  }
  throw new Error('expected parseAlertEvent to throw');
}

describe('parseAlertEvent()', () => {
  describe('valid events', () => {
    it('coerces ISO strings to Dates and applies defaults', () => {
      const event = parseAlertEvent(created);
      expect(event.occurredAt).toEqual(new Date('2026-01-31T14:30:05Z'));
      expect(event.alert.createdAt).toEqual(new Date('2026-01-31T14:30:00Z'));
      expect(event.alert).toMatchObject({ status: 'open', escalationLevel: 1, metadata: {} });
    });

    it('accepts Date objects, date-only strings and offsets', () => {
      const event = parseAlertEvent({
        ...created,
        alert: { ...alert, createdAt: new Date('2026-01-31T14:30:00Z'), acknowledgedAt: '2026-01-31' },
        occurredAt: '2026-01-31T11:30:05-03:00',
      });
      expect(event.alert.createdAt.toISOString()).toBe('2026-01-31T14:30:00.000Z');
      expect(event.alert.acknowledgedAt?.toISOString()).toBe('2026-01-31T00:00:00.000Z');
      expect(event.occurredAt.toISOString()).toBe('2026-01-31T14:30:05.000Z');
    });

    it('keeps the fields of each event type', () => {
      const escalated = parseAlertEvent({
        ...created,
        type: 'alert.escalated',
        fromLevel: 1,
        toLevel: 2,
        reason: 'No acknowledgement in 15 minutes',
        assignedTo: 'Ana',
      });
      expect(escalated).toMatchObject({
        type: 'alert.escalated',
        fromLevel: 1,
        toLevel: 2,
        assignedTo: 'Ana',
      });
      const stale = parseAlertEvent({
        ...created,
        type: 'alert.stale',
        lastActivityAt: '2026-01-31T14:30:02Z',
      });
      expect(stale.type === 'alert.stale' && stale.lastActivityAt).toEqual(new Date('2026-01-31T14:30:02Z'));
    });
  });

  describe('invalid events', () => {
    it('names the field, the allowed values and the value it got', () => {
      const error = validationError({ ...created, alert: { ...alert, severity: 'urgent' } });
      expect(error.message).toBe(
        'Invalid alert event: alert.severity: expected one of critical, high, medium, low, got "urgent"',
      );
      expect(error.issues).toEqual([
        { path: 'alert.severity', message: 'expected one of critical, high, medium, low, got "urgent"' },
      ]);
      expect(error.code).toBe('validation');
      expect(isNotifyError(error)).toBe(true);
    });

    it('lists every bad field', () => {
      const error = validationError({
        ...created,
        alert: { ...alert, title: '', escalationLevel: 7, createdAt: 'yesterday' },
        occurredAt: 5,
      });
      expect(error.issues.map((i) => i.path)).toEqual([
        'alert.title',
        'alert.createdAt',
        'alert.escalationLevel',
        'occurredAt',
      ]);
      expect(error.message).toContain('- alert.title: expected at least 1 character, got ""');
      expect(error.message).toContain('- alert.escalationLevel: expected a value <= 3, got 7');
      expect(error.message).toContain(
        '- alert.createdAt: expected a Date or an ISO 8601 date-time such as 2026-01-31T14:30:00Z, got "yesterday"',
      );
    });

    it('says which type is expected and that a required field is missing', () => {
      const error = validationError({ ...created, type: 'alert.escalated', fromLevel: '1' });
      expect(error.issues).toEqual([
        { path: 'fromLevel', message: 'expected number, got "1"' },
        { path: 'toLevel', message: 'required (number)' },
      ]);
    });

    it('names the known event types for an unknown one', () => {
      expect(validationError({ ...created, type: 'alert.create' }).message).toBe(
        'Invalid alert event: type: expected one of alert.created, alert.escalated, alert.resolved, alert.stale, got "alert.create"',
      );
      expect(validationError({ alert }).message).toMatch(/type: expected one of .*, got nothing$/);
    });

    it('rejects what is not an object', () => {
      expect(validationError(null).message).toBe('Invalid alert event: expected object, got null');
      expect(validationError('alert.created').message).toBe(
        'Invalid alert event: expected object, got "alert.created"',
      );
    });

    it('rejects a dashboard link that is not http(s)', () => {
      expect(
        validationError({ ...created, alert: { ...alert, url: 'javascript:alert(1)' } }).issues[0]?.path,
      ).toBe('alert.url');
    });
  });
});

describe('resolutionDuration()', () => {
  it('is the time from createdAt to the resolution', () => {
    const event = parseAlertEvent({ ...created, type: 'alert.resolved', occurredAt: '2026-01-31T16:45:00Z' });
    expect(resolutionDuration(event as AlertResolvedEvent)).toBe((2 * 60 + 15) * 60_000);
  });

  it('is never negative when clocks disagree', () => {
    // Within the minute of clock skew that parseAlertEvent allows.
    const event = parseAlertEvent({ ...created, type: 'alert.resolved', occurredAt: '2026-01-31T14:29:30Z' });
    expect(resolutionDuration(event as AlertResolvedEvent)).toBe(0);
  });
});

describe('inactiveFor()', () => {
  it('is the time since the last activity', () => {
    const event = parseAlertEvent({
      ...created,
      type: 'alert.stale',
      lastActivityAt: '2026-01-31T14:30:00Z',
      occurredAt: '2026-02-01T14:30:00Z',
    });
    expect(inactiveFor(event as AlertStaleEvent)).toBe(24 * 60 * 60_000);
  });
});

describe('escalationTarget()', () => {
  it('names levels 1 and 2 and sends level 3 and above to Admin', () => {
    expect([1, 2, 3, 4].map(escalationTarget)).toEqual(['Level 1', 'Level 2', 'Admin', 'Admin']);
  });
});

describe('atLeastSeverity()', () => {
  it('orders critical > high > medium > low', () => {
    expect(atLeastSeverity('critical', 'high')).toBe(true);
    expect(atLeastSeverity('high', 'high')).toBe(true);
    expect(atLeastSeverity('medium', 'high')).toBe(false);
    expect(atLeastSeverity('low', 'low')).toBe(true);
  });
});

describe('parseAlertEvent() and dates that contradict each other', () => {
  const stale = {
    type: 'alert.stale',
    alert,
    occurredAt: '2026-02-03T10:00:00Z',
    lastActivityAt: '2026-02-01T10:00:00Z',
  };

  it('refuses an occurredAt more than a minute before alert.createdAt, naming the field', () => {
    const error = validationError({ ...created, type: 'alert.resolved', occurredAt: '2021-01-31T14:30:00Z' });
    expect(error.issues).toEqual([
      {
        path: 'occurredAt',
        message:
          'expected no earlier than alert.createdAt (2026-01-31T14:30:00.000Z) less 1 minute of clock skew, got 2021-01-31T14:30:00.000Z',
      },
    ]);
  });

  it('allows a minute of clock skew, and not a millisecond more', () => {
    expect(() => parseAlertEvent({ ...created, occurredAt: '2026-01-31T14:29:00Z' })).not.toThrow();
    expect(validationError({ ...created, occurredAt: '2026-01-31T14:28:59.999Z' }).issues[0]?.path).toBe(
      'occurredAt',
    );
    expect(() => parseAlertEvent({ ...stale, lastActivityAt: '2026-02-03T10:01:00Z' })).not.toThrow();
    expect(validationError({ ...stale, lastActivityAt: '2026-02-03T10:01:00.001Z' }).issues[0]?.path).toBe(
      'lastActivityAt',
    );
  });

  it('refuses a lastActivityAt after occurredAt, or before alert.createdAt', () => {
    expect(validationError({ ...stale, lastActivityAt: '2027-01-01T00:00:00Z' }).issues).toEqual([
      {
        path: 'lastActivityAt',
        message:
          'expected no later than occurredAt (2026-02-03T10:00:00.000Z) plus 1 minute of clock skew, got 2027-01-01T00:00:00.000Z',
      },
    ]);
    expect(
      validationError({ ...stale, lastActivityAt: '2020-01-01T00:00:00Z' }).issues.map((i) => i.path),
    ).toEqual(['lastActivityAt']);
  });

  it('names only the real problem when a date is missing or malformed', () => {
    expect(validationError({ ...created, occurredAt: 'yesterday' }).issues.map((i) => i.path)).toEqual([
      'occurredAt',
    ]);
    expect(
      validationError({ ...created, alert: { ...alert, createdAt: undefined } }).issues.map((i) => i.path),
    ).toEqual(['alert.createdAt']);
  });
});
