import { asParsedAlertEvent, parseAlertEvent, ValidationError } from '@pytake/notify-core';
import { describe, expect, it } from 'vitest';
import { eventOfJob } from './job-event.js';
import { alertEvent } from './testing/fixtures.js';

// What a job holds: the JSON of an event that enqueue() validated.
const asJobData = (event: unknown) => JSON.parse(JSON.stringify(event)) as unknown;

describe('eventOfJob', () => {
  const parsed = [
    parseAlertEvent(alertEvent(1)),
    parseAlertEvent({
      ...alertEvent(2),
      alert: { ...alertEvent(2).alert, acknowledgedAt: '2026-01-01T00:00:01.5Z', url: 'https://x.example/a' },
    }),
    parseAlertEvent({
      type: 'alert.stale',
      occurredAt: '2026-01-02T00:00:00Z',
      lastActivityAt: '2026-01-01T12:00:00Z',
      alert: alertEvent(3).alert,
    }),
  ];

  it('gives what parseAlertEvent gives for the JSON of a parsed event, without zod', () => {
    for (const event of parsed) {
      const data = asJobData(event);
      const fromJob = eventOfJob(data);
      expect(fromJob).toEqual(parseAlertEvent(data));
      expect(fromJob).toEqual(event);
      // The fast path took it: what it returns is already exactly a parsed event.
      expect(asParsedAlertEvent(fromJob)).toBe(fromJob);
    }
  });

  it('leaves the job data as it was', () => {
    const data = asJobData(parsed[1]) as { occurredAt: unknown; alert: { createdAt: unknown } };
    eventOfJob(data);
    expect(typeof data.occurredAt).toBe('string');
    expect(typeof data.alert.createdAt).toBe('string');
  });

  it('hands anything else to parseAlertEvent: other date forms parse, invalid data is a ValidationError', () => {
    // Not toISOString()'s form: zod decides, and accepts it.
    expect(eventOfJob(alertEvent(4))).toEqual(parseAlertEvent(alertEvent(4)));
    const bad = asJobData(parsed[0]) as { alert: { severity: string } };
    bad.alert.severity = 'apocalyptic';
    expect(() => eventOfJob(bad)).toThrow(ValidationError);
    // An unknown key: not exactly a parsed event, so zod's answer (which drops it).
    const extra = { ...(asJobData(parsed[0]) as object), extra: 1 };
    expect(eventOfJob(extra)).toEqual(parseAlertEvent(extra));
    expect(eventOfJob(extra)).not.toHaveProperty('extra');
    expect(() => eventOfJob(null)).toThrow(ValidationError);
    const badDate = asJobData(parsed[0]) as { occurredAt: string };
    badDate.occurredAt = '2026-13-45T99:99:99.000Z';
    expect(() => eventOfJob(badDate)).toThrow(ValidationError);
  });
});
