import { useCallback, useEffect, useState } from 'react';
import { alertMatches } from '../alert-matches.js';
import type { AlertQuery, AlertSummary, LiveChange } from '../api-types.js';
import { fetchAlerts, type ListFilters } from './api-client.js';
import { Choice } from './choice.js';
import { SEVERITY_CHOICES, STATUS_CHOICES } from './filter-values.js';
import { alertHref } from './hash-route.js';
import { HealthTable } from './health-table.js';
import { TargetStates } from './target-states.js';
import { useLiveChanges } from './use-live-changes.js';

const noFilters: ListFilters = { organization: '', severity: '', status: '', staleOnly: false, search: '' };
const keyOf = (a: AlertSummary) => `${a.organizationId}\n${a.alertId}`;

/** The filters as the API's query, to place a live change in the list shown or take it out. */
function asQuery(f: ListFilters): AlertQuery {
  return {
    ...(f.organization.trim() ? { organizationIds: [f.organization.trim()] } : {}),
    ...(f.severity ? { severity: f.severity as AlertQuery['severity'] } : {}),
    ...(f.status ? { status: f.status as AlertQuery['status'] } : {}),
    ...(f.staleOnly ? { stale: true } : {}),
    ...(f.search.trim() ? { search: f.search } : {}),
  };
}

export function AlertList() {
  const [filters, setFilters] = useState(noFilters);
  const [alerts, setAlerts] = useState<AlertSummary[]>([]);
  const [next, setNext] = useState<string>();
  const [error, setError] = useState<string>();
  const [loading, setLoading] = useState(false);

  const load = useCallback(async (shown: ListFilters, cursor?: string) => {
    setLoading(true);
    try {
      const page = await fetchAlerts(shown, cursor);
      setAlerts((before) => (cursor ? [...before, ...page.alerts] : page.alerts));
      setNext(page.next);
      setError(undefined);
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    void load(filters);
  }, [filters, load]);

  const live = useLiveChanges((change: LiveChange) => {
    if (change.type === 'reset') return void load(filters);
    const changed = change.alert;
    setAlerts((before) => {
      const rest = before.filter((a) => keyOf(a) !== keyOf(changed));
      return alertMatches(changed, asQuery(filters)) ? [changed, ...rest] : rest;
    });
  });

  const set = (patch: Partial<ListFilters>) => setFilters((f) => ({ ...f, ...patch }));
  return (
    <main>
      <HealthTable />
      <form className="filters" onSubmit={(e) => e.preventDefault()}>
        <label>
          Organization
          <input value={filters.organization} onChange={(e) => set({ organization: e.target.value })} />
        </label>
        <Choice
          label="Severity"
          value={filters.severity}
          options={SEVERITY_CHOICES}
          onChange={(severity) => set({ severity })}
        />
        <Choice
          label="Status"
          value={filters.status}
          options={STATUS_CHOICES}
          onChange={(status) => set({ status })}
        />
        <label>
          <input
            type="checkbox"
            checked={filters.staleOnly}
            onChange={(e) => set({ staleOnly: e.target.checked })}
          />
          Stale only
        </label>
        <label>
          Search
          <input type="search" value={filters.search} onChange={(e) => set({ search: e.target.value })} />
        </label>
        <span className={`live live-${live}`} data-testid="live-state">
          {live}
        </span>
      </form>
      {error && <p className="error">{error}</p>}
      <table className="alerts" data-testid="alert-list">
        <thead>
          <tr>
            <th>Alert</th>
            <th>Organization</th>
            <th>Severity</th>
            <th>Status</th>
            <th>Targets</th>
            <th>Updated</th>
          </tr>
        </thead>
        <tbody>
          {alerts.map((a) => (
            <tr key={keyOf(a)} data-testid="alert-row">
              <td>
                <a href={alertHref(a.organizationId, a.alertId)}>{a.title ?? a.alertId}</a>
                {a.stale && <span className="badge stale">stale</span>}
              </td>
              <td>{a.organizationId}</td>
              <td className={`severity-${a.severity ?? 'unknown'}`}>{a.severity ?? '—'}</td>
              <td>{a.status}</td>
              <td>
                <TargetStates targets={a.targets} />
              </td>
              <td>
                <time dateTime={a.updatedAt}>{new Date(a.updatedAt).toLocaleString()}</time>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {alerts.length === 0 && !loading && <p className="empty">No alerts match.</p>}
      {next && (
        <button type="button" disabled={loading} onClick={() => void load(filters, next)}>
          Load more
        </button>
      )}
    </main>
  );
}
