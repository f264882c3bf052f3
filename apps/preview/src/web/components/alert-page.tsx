import { useState } from 'react';
import type { AlertState, TimelineEntry } from '../api.js';
import { AlertBadges, time } from './alert-console.js';

const actionLabel: Record<string, string> = {
  acknowledge: 'Acknowledge',
  resolve: 'Resolve',
  assign: 'Assign',
};

function stateText(t: TimelineEntry['targets'][number]): string {
  // Folded by storm control, then sent in the digest: the state says which digest.
  if (t.digestId)
    return t.state === 'digested'
      ? `digested into ${t.digestId}`
      : `${stateText({ ...t, digestId: undefined })} in digest ${t.digestId}`;
  if (t.state === 'failed' || t.state === 'dead' || t.state === 'retrying')
    return t.errorCode ? `${t.state} (${t.errorCode})` : t.state;
  if (t.state === 'skipped') return t.reason ? `skipped: ${t.reason}` : 'skipped';
  return t.state;
}

/** One alert: what can be done now, and its life as a timeline with every target's state. */
export function AlertPage({
  alert,
  onBack,
  onAct,
  onShowInSlack,
}: {
  alert: AlertState;
  onBack: () => void;
  onAct: (action: string, assignee?: string) => Promise<void>;
  onShowInSlack?: () => void;
}) {
  const [assignee, setAssignee] = useState('');
  const [busy, setBusy] = useState(false);
  // View opens the dashboard link: the console has no page of its own to show for it.
  const actions = (alert.actions ?? []).filter((a) => a !== 'view');
  const act = async (action: string) => {
    setBusy(true);
    try {
      await onAct(action, action === 'assign' ? assignee.trim() || undefined : undefined);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="alert-page" aria-label="Alert" data-testid="alert-page">
      <button type="button" className="link-button" onClick={onBack}>
        ← All alerts
      </button>
      <h2>
        <span className={`severity severity-${alert.severity ?? 'unknown'}`}>{alert.severity ?? '—'}</span>{' '}
        {alert.title ?? alert.alertId}
      </h2>
      <p className="alert-page-meta" data-testid="alert-page-meta">
        <AlertBadges alert={alert} /> <code>{alert.alertId}</code> ·{' '}
        {alert.organizationName ?? alert.organizationId ?? 'unknown organization'}
        {alert.acknowledgedBy ? ` · acknowledged by ${alert.acknowledgedBy}` : ''}
        {alert.resolvedBy ? ` · resolved by ${alert.resolvedBy}` : ''}
        {alert.assignee ? ` · assigned to ${alert.assignee}` : ''}
      </p>
      <div className="alert-actions" data-testid="alert-actions">
        {actions.length === 0 ? <span className="muted">Nothing left to do: resolved.</span> : null}
        {actions.includes('assign') ? (
          <input
            aria-label="Assign to"
            placeholder="assign to (user)"
            value={assignee}
            onChange={(e) => setAssignee(e.target.value)}
          />
        ) : null}
        {actions.map((a) => (
          <button key={a} type="button" disabled={busy} onClick={() => void act(a)}>
            {actionLabel[a] ?? a}
          </button>
        ))}
        {onShowInSlack ? (
          <button type="button" className="link-button" onClick={onShowInSlack}>
            Show in the Slack view
          </button>
        ) : null}
        <span className="muted">
          Sent as a signed <code>block_actions</code> request to <code>POST /slack/actions</code>, like a
          Slack button.
        </span>
      </div>
      <ol className="timeline" data-testid="alert-timeline">
        {[...(alert.timeline ?? [])].reverse().map((e) => (
          <li key={e.id} className={`timeline-${e.kind}`} data-entry={e.type}>
            <div className="timeline-head">
              <strong>{e.type}</strong> <span className="muted">{time(e.at)}</span>
              {e.by ? ` · by ${e.by}` : ''}
              {e.assignee ? ` → ${e.assignee}` : ''}
              {e.source ? <span className="muted"> · from {e.source}</span> : null}
            </div>
            {e.targets.length > 0 ? (
              <table className="timeline-targets">
                <tbody>
                  {e.targets.map((t) => (
                    <tr key={`${t.channel}-${t.target}`} data-target-state={t.state}>
                      <td>{t.channel}</td>
                      <td>{t.target}</td>
                      <td>
                        <span className={`status status-${t.state}`}>{stateText(t)}</span>
                      </td>
                      <td className="muted">
                        {t.attempts} {t.attempts === 1 ? 'attempt' : 'attempts'}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            ) : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
