import { ALERT_STATUSES, alertSchema, SEVERITIES } from './alert.js';
import { type AlertEvent, alertEventSchema, dateIssues } from './events.js';

// The keys come from the schemas themselves; the checks below are hand-written for speed, and the
// property tests (parsed-alert-event.test.ts, parse.property.test.ts) hold them to the schemas: they
// mutate every key the schemas list, so a field added to a schema without a check here fails them.
const ALERT_KEYS: ReadonlySet<string> = new Set(Object.keys(alertSchema.shape));
const EVENT_KEYS: Record<string, ReadonlySet<string>> = Object.fromEntries(
  alertEventSchema.options.map((variant) => [variant.shape.type.value, new Set(Object.keys(variant.shape))]),
);

type Json = Record<string, unknown>;

const isPlain = (value: unknown): value is Json => {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value);
  return (proto === Object.prototype || proto === null) && Object.getOwnPropertySymbols(value).length === 0;
};
const onlyKeys = (value: Json, keys: ReadonlySet<string>) => Object.keys(value).every((k) => keys.has(k));
const isDate = (value: unknown) => value instanceof Date && !Number.isNaN(value.getTime());
const isText = (value: unknown, max = Number.POSITIVE_INFINITY) =>
  typeof value === 'string' && value.length >= 1 && value.length <= max;
const isOptionalString = (value: unknown) => value === undefined || typeof value === 'string';
// zod's `z.url({ protocol: /^https?$/ })` wants `http(s)://` and a URL that parses, and returns it
// trimmed and without tabs or newlines: a URL with no whitespace at all comes back unchanged. (Asking
// zod itself costs tens of microseconds once the rest of a render has pushed it out of the CPU caches.)
const plainHttpUrl = /^https?:\/\/\S+$/i;
const isPlainHttpUrl = (value: unknown) =>
  typeof value === 'string' && plainHttpUrl.test(value) && URL.canParse(value);
const isLevel = (value: unknown, max = Number.MAX_SAFE_INTEGER) =>
  Number.isSafeInteger(value) && (value as number) >= 1 && (value as number) <= max;

/**
 * Returns `input` itself when it already is exactly what `parseAlertEvent` returns (every field
 * valid, dates as valid Dates, defaults present, no unknown keys), so parsing it would only copy it;
 * otherwise `undefined`, and the caller parses. A service usually hands the notifier an event it
 * parsed or built with Dates, and the zod parse costs more than the rest of `notify()` together.
 * It only ever says yes when zod would accept the event and return an equal object; anything
 * unusual (ISO strings, a missing default, a URL zod would trim) goes to zod, which has the last word.
 */
export function asParsedAlertEvent(input: unknown): AlertEvent | undefined {
  if (!isPlain(input)) return undefined;
  // `typeof` and own keys only: a `type` of `{ __proto__: null }` cannot become a key, and one of
  // 'constructor' would find Object's.
  const keys =
    typeof input.type === 'string' && Object.hasOwn(EVENT_KEYS, input.type)
      ? EVENT_KEYS[input.type]
      : undefined;
  if (!keys || !onlyKeys(input, keys) || !isDate(input.occurredAt)) return undefined;
  const alert = input.alert;
  if (!isPlain(alert) || !onlyKeys(alert, ALERT_KEYS)) return undefined;
  const valid =
    isText(alert.id) &&
    isText(alert.organizationId) &&
    isOptionalString(alert.organizationName) &&
    isText(alert.title, 255) &&
    isOptionalString(alert.description) &&
    SEVERITIES.includes(alert.severity as never) &&
    isText(alert.category) &&
    ALERT_STATUSES.includes(alert.status as never) &&
    isDate(alert.createdAt) &&
    (alert.acknowledgedAt === undefined || isDate(alert.acknowledgedAt)) &&
    isLevel(alert.escalationLevel, 3) &&
    (alert.url === undefined || isPlainHttpUrl(alert.url)) &&
    isPlain(alert.metadata);
  if (!valid) return undefined;
  switch (input.type) {
    case 'alert.escalated':
      if (!isLevel(input.fromLevel) || !isLevel(input.toLevel)) return undefined;
      if (!isOptionalString(input.reason) || !isOptionalString(input.assignedTo)) return undefined;
      break;
    case 'alert.resolved':
      if (!isOptionalString(input.resolvedBy) || !isOptionalString(input.resolutionNotes)) return undefined;
      break;
    case 'alert.stale':
      if (!isDate(input.lastActivityAt) || !isOptionalString(input.currentOwner)) return undefined;
      break;
  }
  // The dates must also agree with each other, as alertEventSchema's refinement asks.
  if (dateIssues(input as never).length > 0) return undefined;
  return input as unknown as AlertEvent;
}
