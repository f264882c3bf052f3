import type { DeliveryRecord, Stats } from '../api.js';

const STATUSES = ['delivered', 'partial', 'failed', 'skipped', 'duplicate', 'digested'] as const;

/** The numbers /metrics exports, per channel. */
export function MetricsPanel({ stats }: { stats: Stats | undefined }) {
  const channels = Object.keys(stats?.counts ?? {});
  return (
    <div className="metrics" data-testid="metrics-panel">
      {channels.length === 0 ? (
        <p className="empty">No deliveries yet.</p>
      ) : (
        channels.map((channel) => {
          const counts: Partial<Record<(typeof STATUSES)[number], number>> = stats?.counts[channel] ?? {};
          const latency = stats?.latency[channel];
          return (
            <div className="metric-card" key={channel}>
              <h3>{channel}</h3>
              <div className="metric-row">
                {STATUSES.map((status) => (
                  <div key={status} className={`metric metric-${status}`}>
                    <span className="metric-value">{counts[status] ?? 0}</span>
                    <span className="metric-label">{status}</span>
                  </div>
                ))}
              </div>
              <p className="muted">
                {stats?.attempts[channel] ?? 0}{' '}
                {(stats?.attempts[channel] ?? 0) === 1 ? 'attempt' : 'attempts'}
                {latency ? ` · p50 ${latency.p50} ms · p95 ${latency.p95} ms · max ${latency.max} ms` : ''}
              </p>
            </div>
          );
        })
      )}
      <a className="link-button" href="/metrics" target="_blank" rel="noreferrer">
        Prometheus /metrics
      </a>
    </div>
  );
}

/** Every delivery record, newest first, live over server-sent events. */
export function DeliveryLog({ records, stats }: { records: DeliveryRecord[]; stats: Stats | undefined }) {
  return (
    <section className="delivery-log" aria-label="Delivery log">
      <h2>Metrics</h2>
      <MetricsPanel stats={stats} />
      <h2>Delivery log</h2>
      {records.length === 0 ? (
        <p className="empty">No deliveries yet.</p>
      ) : (
        <table data-testid="delivery-log">
          <thead>
            <tr>
              <th>Time</th>
              <th>Channel</th>
              <th>Event</th>
              <th>Target</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Duration</th>
              <th>Error</th>
            </tr>
          </thead>
          <tbody>
            {records.map((r) => (
              <tr key={`${r.at}-${r.channel}-${r.target}-${r.status}-${r.alertId}`}>
                <td>{new Date(r.at).toLocaleTimeString()}</td>
                <td>{r.channel}</td>
                <td>{r.eventType}</td>
                <td className="target">{r.target}</td>
                <td>
                  <span className={`status status-${r.status}`}>{r.status}</span>
                  {r.reason ? <span className="muted"> {r.reason}</span> : null}
                  {r.digestId ? <span className="muted"> digest {r.digestId}</span> : null}
                </td>
                <td>{r.attempts}</td>
                <td>{r.durationMs} ms</td>
                <td className="error">{r.error ? `${r.error.code}: ${r.error.message}` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
