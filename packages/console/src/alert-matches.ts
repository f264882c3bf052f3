import type { AlertQuery, AlertSummary } from './api-types.js';

/**
 * Whether an alert passes the list's filters (all but paging). One rule for the in-process source and
 * for the page, which uses it to place a live change in the list it shows or take it out.
 */
export function alertMatches(alert: AlertSummary, query: Omit<AlertQuery, 'cursor' | 'limit'>): boolean {
  // An empty list is no organization at all (an operator allowed none), never "every one".
  if (query.organizationIds && !query.organizationIds.includes(alert.organizationId)) return false;
  if (query.severity && alert.severity !== query.severity) return false;
  if (query.status && alert.status !== query.status) return false;
  if (query.stale !== undefined && alert.stale !== query.stale) return false;
  const search = query.search?.trim().toLowerCase();
  return (
    !search ||
    [alert.alertId, alert.title, alert.organizationId].some((v) => v?.toLowerCase().includes(search))
  );
}
