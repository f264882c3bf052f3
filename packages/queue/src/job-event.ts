import { type AlertEvent, asParsedAlertEvent, parseAlertEvent } from '@pytake/notify-core';

// Exactly what `Date.prototype.toISOString()` writes, which is what JSON.stringify makes of the Dates
// of an event that enqueue() validated. `new Date()` of such a string is the Date zod's coercion gives.
const isoString = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const revive = (value: unknown) =>
  typeof value === 'string' && isoString.test(value) ? new Date(value) : value;
const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The event of a job, as `parseAlertEvent()` would return it. Job data is the JSON of an event that
 * `enqueue()` validated: with its dates made Dates again, core's `asParsedAlertEvent()` checks it
 * field by field far faster than zod. Anything it does not accept as exactly a parsed event (a job
 * written by other code, an older format) goes through `parseAlertEvent()`, which has the last word.
 */
export function eventOfJob(data: unknown): AlertEvent {
  if (isObject(data) && isObject(data.alert)) {
    const alert: Record<string, unknown> = { ...data.alert, createdAt: revive(data.alert.createdAt) };
    if (alert.acknowledgedAt !== undefined) alert.acknowledgedAt = revive(alert.acknowledgedAt);
    const event: Record<string, unknown> = { ...data, alert, occurredAt: revive(data.occurredAt) };
    if (event.lastActivityAt !== undefined) event.lastActivityAt = revive(event.lastActivityAt);
    const parsed = asParsedAlertEvent(event);
    if (parsed) return parsed;
  }
  return parseAlertEvent(data);
}
