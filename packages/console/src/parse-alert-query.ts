import { ALERT_STATUSES, SEVERITIES, ValidationError, type ValidationIssue } from '@pytake/notify-core';
import type { AlertQuery } from './api-types.js';

/** The limits of an alert list query: page sizes and the longest search. */
export const alertQueryLimits = {
  /** Alerts per page when `limit` is left out. */
  defaultLimit: 50,
  maxLimit: 200,
  /** Longer searches are refused rather than scanned. */
  maxSearchLength: 200,
} as const;

const shown = (value: string) => JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);

/** A parameter that must be one of `values`: the value, or an issue naming it. */
function pickOne<T extends string>(
  params: URLSearchParams,
  name: string,
  values: readonly T[],
  issues: ValidationIssue[],
): T | undefined {
  const value = params.get(name);
  if (!value) return undefined;
  if ((values as readonly string[]).includes(value)) return value as T;
  issues.push({ path: name, message: `expected one of ${values.join(', ')}, got ${shown(value)}` });
  return undefined;
}

/**
 * The list's filters from a request's query string: `organization` (repeatable), `severity`,
 * `status`, `stale` (`true`/`false`), `q`, `cursor` and `limit`. A bad value is a ValidationError
 * naming it, never silently ignored: a filter that does nothing would show the wrong alerts.
 */
export function parseAlertQuery(params: URLSearchParams): AlertQuery {
  const issues: ValidationIssue[] = [];
  const query: { -readonly [K in keyof AlertQuery]: AlertQuery[K] } = {};
  const organizations = params.getAll('organization').filter((o) => o !== '');
  if (organizations.length) query.organizationIds = organizations;

  const severity = pickOne(params, 'severity', SEVERITIES, issues);
  if (severity) query.severity = severity;
  const status = pickOne(params, 'status', ALERT_STATUSES, issues);
  if (status) query.status = status;
  const stale = params.get('stale');
  if (stale) {
    if (stale === 'true' || stale === 'false') query.stale = stale === 'true';
    else issues.push({ path: 'stale', message: `expected true or false, got ${shown(stale)}` });
  }
  const search = params.get('q')?.trim();
  if (search) {
    if (search.length <= alertQueryLimits.maxSearchLength) query.search = search;
    else
      issues.push({ path: 'q', message: `expected at most ${alertQueryLimits.maxSearchLength} characters` });
  }
  const cursor = params.get('cursor');
  if (cursor) query.cursor = cursor;
  const limit = params.get('limit');
  query.limit = alertQueryLimits.defaultLimit;
  if (limit) {
    const n = Number(limit);
    if (/^\d+$/.test(limit) && n >= 1 && n <= alertQueryLimits.maxLimit) query.limit = n;
    else
      issues.push({
        path: 'limit',
        message: `expected a whole number from 1 to ${alertQueryLimits.maxLimit}, got ${shown(limit)}`,
      });
  }
  if (issues.length) throw new ValidationError('Invalid alert query', issues);
  return query;
}
