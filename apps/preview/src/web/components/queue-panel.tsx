import { useEffect, useState } from 'react';
import { api } from '../api.js';

interface DeadLetter {
  id: string;
  queue: string;
  alertId?: string;
  eventType?: string;
  target?: string;
  error: { code: string; message: string };
  attempts: number;
}
interface Panel {
  enabled: boolean;
  counts?: Record<string, number>;
  deadLetters?: DeadLetter[];
}

/** With REDIS_URL: targets per queue state, the dead letters with their last errors, and retry. */
export function QueuePanel({ refreshKey }: { refreshKey: number }) {
  const [panel, setPanel] = useState<Panel>();
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let current = true;
    api<Panel>('/api/queue')
      .then((p) => current && setPanel(p))
      .catch(() => current && setPanel(undefined));
    return () => {
      current = false;
    };
  }, [refreshKey, tick]);
  if (!panel?.enabled) return null;
  const retry = async (id: string) => {
    await api(`/api/queue/dead-letters/${encodeURIComponent(id)}/retry`, { method: 'POST' }).catch(() => {});
    setTick((t) => t + 1);
  };
  return (
    <section className="queue-panel" data-testid="queue-panel" aria-label="Queue">
      <h3>Queue (@pytake/notify-queue)</h3>
      <p>
        {Object.entries(panel.counts ?? {}).map(([state, n]) => (
          <span key={state} className={`status status-${state}`} data-queue-state={state}>
            {state} {n}
          </span>
        ))}
      </p>
      {(panel.deadLetters ?? []).length === 0 ? (
        <p className="muted">No dead letters.</p>
      ) : (
        <table className="dead-letters" data-testid="dead-letters">
          <tbody>
            {panel.deadLetters!.map((d) => (
              <tr key={d.id}>
                <td>{d.alertId ?? '—'}</td>
                <td>{d.queue}</td>
                <td>{d.target ?? '—'}</td>
                <td className="error">
                  {d.error.code}: {d.error.message}
                </td>
                <td className="muted">
                  {d.attempts} {d.attempts === 1 ? 'attempt' : 'attempts'}
                </td>
                <td>
                  <button type="button" onClick={() => void retry(d.id)}>
                    Retry
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
