import { useMemo, useState } from 'react';
import type { AlertState } from '../api.js';
import '../console.css';
import { QueuePanel } from './queue-panel.js';

const SEVERITIES = ['critical', 'high', 'medium', 'low'];
const STATUSES = ['open', 'acknowledged', 'escalated', 'resolved', 'stale'];

export interface AlertFilterState {
  severity: string;
  status: string;
  organization: string;
  q: string;
}

/** The same filter GET /api/alerts applies, run here on the live list so it updates without a request. */
export function filterAlerts(alerts: AlertState[], f: AlertFilterState): AlertState[] {
  const q = f.q.trim().toLowerCase();
  return alerts.filter(
    (a) =>
      (!f.severity || a.severity === f.severity) &&
      (!f.status || (f.status === 'stale' ? a.stale : a.status === f.status)) &&
      (!f.organization || a.organizationId === f.organization) &&
      (!q ||
        [a.alertId, a.title, a.organizationId, a.organizationName].some((s) => s?.toLowerCase().includes(q))),
  );
}

export const time = (iso: string | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

export function AlertBadges({ alert }: { alert: AlertState }) {
  return (
    <>
      <span className={`status status-${alert.status}`} data-testid="alert-status">
        {alert.status}
      </span>
      {alert.stale ? (
        <span className="status status-stale" data-testid="alert-stale">
          stale
        </span>
      ) : null}
    </>
  );
}

/** Every alert that went through the app's notifier, newest first, filtered and searched. */
export function AlertConsole({
  alerts,
  onOpen,
}: {
  alerts: AlertState[];
  onOpen: (alertId: string) => void;
}) {
  const [filter, setFilter] = useState<AlertFilterState>({
    severity: '',
    status: '',
    organization: '',
    q: '',
  });
  const organizations = useMemo(
    () => [...new Set(alerts.map((a) => a.organizationId).filter((o): o is string => Boolean(o)))].sort(),
    [alerts],
  );
  const shown = filterAlerts(alerts, filter);
  const patch = (p: Partial<AlertFilterState>) => setFilter((f) => ({ ...f, ...p }));
  return (
    <section className="alert-console" aria-label="Alert console" data-testid="alert-console">
      <p className="console-note muted" data-testid="console-memory-note">
        Alerts live in this app's memory only: the last 100 alerts and 50 steps each, gone when it stops.
        Updated live.
      </p>
      <QueuePanel refreshKey={alerts.length > 0 ? Date.parse(alerts[0]!.updatedAt ?? '') || 0 : 0} />
      <div className="console-filters">
        <input
          type="search"
          placeholder="Search id, title, organization"
          aria-label="Search alerts"
          value={filter.q}
          onChange={(e) => patch({ q: e.target.value })}
        />
        <select
          aria-label="Severity"
          value={filter.severity}
          onChange={(e) => patch({ severity: e.target.value })}
        >
          <option value="">Any severity</option>
          {SEVERITIES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select aria-label="Status" value={filter.status} onChange={(e) => patch({ status: e.target.value })}>
          <option value="">Any status</option>
          {STATUSES.map((s) => (
            <option key={s}>{s}</option>
          ))}
        </select>
        <select
          aria-label="Organization"
          value={filter.organization}
          onChange={(e) => patch({ organization: e.target.value })}
        >
          <option value="">Any organization</option>
          {organizations.map((o) => (
            <option key={o}>{o}</option>
          ))}
        </select>
      </div>
      {shown.length === 0 ? (
        <p className="empty">
          {alerts.length === 0
            ? 'No alerts yet: Send test, or POST /api/notify with an event.'
            : 'No alert matches.'}
        </p>
      ) : (
        <table className="console-list" data-testid="alert-list">
          <thead>
            <tr>
              <th>Severity</th>
              <th>Alert</th>
              <th>Organization</th>
              <th>Status</th>
              <th>Last event</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((a) => (
              <tr key={a.alertId} data-alert={a.alertId} onClick={() => onOpen(a.alertId)}>
                <td>
                  <span className={`severity severity-${a.severity ?? 'unknown'}`}>{a.severity ?? '—'}</span>
                </td>
                <td>
                  <button type="button" className="link-button" onClick={() => onOpen(a.alertId)}>
                    {a.title ?? a.alertId}
                  </button>
                  <div className="muted">{a.alertId}</div>
                </td>
                <td>{a.organizationName ?? a.organizationId ?? '—'}</td>
                <td>
                  <AlertBadges alert={a} />
                </td>
                <td data-testid="alert-last-event">
                  {a.lastEventType ?? 'no event'} <span className="muted">{time(a.lastEventAt)}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
