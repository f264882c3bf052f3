import { useCallback, useEffect, useState } from 'react';
import type { ActionKind, AlertDetail, LiveChange } from '../api-types.js';
import { fetchAlert, postAction } from './api-client.js';
import { digestHref } from './hash-route.js';
import { TargetStates } from './target-states.js';
import { useLiveChanges } from './use-live-changes.js';

interface AlertViewProps {
  organizationId: string;
  alertId: string;
  actionsEnabled: boolean;
}

/** One alert: its state, each target's, its timeline, and the actions when the service takes them. */
export function AlertView({ organizationId, alertId, actionsEnabled }: AlertViewProps) {
  const [alert, setAlert] = useState<AlertDetail>();
  const [error, setError] = useState<string>();
  const [assignee, setAssignee] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    () =>
      fetchAlert(organizationId, alertId).then(
        (a) => {
          setAlert(a);
          setError(undefined);
        },
        (e: Error) => setError(e.message),
      ),
    [organizationId, alertId],
  );
  useEffect(() => {
    void load();
  }, [load]);
  useLiveChanges((change: LiveChange) => {
    if (
      change.type === 'reset' ||
      (change.alert.organizationId === organizationId && change.alert.alertId === alertId)
    )
      void load();
  });

  const act = async (kind: ActionKind) => {
    setBusy(true);
    try {
      await postAction({
        kind,
        organizationId,
        alertId,
        ...(kind === 'assign' && assignee.trim() ? { assignee: assignee.trim() } : {}),
      });
      await load();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!alert) return <main>{error ? <p className="error">{error}</p> : <p>Loading…</p>}</main>;
  return (
    <main className="alert-view" data-testid="alert-view">
      <p>
        <a href="#/">← All alerts</a>
      </p>
      <h2>{alert.title ?? alert.alertId}</h2>
      <dl className="facts">
        <dt>Organization</dt>
        <dd>{alert.organizationId}</dd>
        <dt>Alert id</dt>
        <dd>{alert.alertId}</dd>
        <dt>Severity</dt>
        <dd>{alert.severity ?? '—'}</dd>
        <dt>Status</dt>
        <dd data-testid="alert-status">
          {alert.status}
          {alert.stale && ' (stale)'}
        </dd>
        {alert.assignee && (
          <>
            <dt>Assignee</dt>
            <dd>{alert.assignee}</dd>
          </>
        )}
      </dl>
      {error && <p className="error">{error}</p>}
      {actionsEnabled && (
        <div className="actions">
          <button type="button" disabled={busy} onClick={() => void act('acknowledge')}>
            Acknowledge
          </button>
          <button type="button" disabled={busy} onClick={() => void act('resolve')}>
            Resolve
          </button>
          <label>
            Assign to
            <input value={assignee} placeholder="me" onChange={(e) => setAssignee(e.target.value)} />
          </label>
          <button type="button" disabled={busy} onClick={() => void act('assign')}>
            Assign
          </button>
        </div>
      )}
      <h3>Targets</h3>
      <TargetStates targets={alert.targets} />
      <h3>Timeline</h3>
      <ol className="timeline">
        {alert.timeline.map((entry) => (
          <li key={entry.id}>
            <time dateTime={entry.at}>{new Date(entry.at).toLocaleString()}</time>{' '}
            <strong>{entry.type}</strong>
            {entry.by && ` by ${entry.by}`}
            {entry.assignee && ` → ${entry.assignee}`}
            <TargetStates targets={entry.targets} />
          </li>
        ))}
      </ol>
      <ListSection
        title="Slack messages"
        items={alert.slackMessages.map((m) => `${m.channel}: ts ${m.ts}`)}
      />
      <ListSection title="Email subjects" items={alert.emailSubjects} />
      {alert.digestIds.length > 0 && (
        <>
          <h3>Storm digests</h3>
          <ul>
            {alert.digestIds.map((digestId) => (
              <li key={digestId}>
                <a href={digestHref(alert.organizationId, digestId)}>{digestId}</a>
              </li>
            ))}
          </ul>
        </>
      )}
    </main>
  );
}

/** A titled list, left out when empty. */
function ListSection({ title, items }: { title: string; items: readonly string[] }) {
  if (items.length === 0) return null;
  return (
    <>
      <h3>{title}</h3>
      <ul>
        {items.map((item) => (
          <li key={item}>{item}</li>
        ))}
      </ul>
    </>
  );
}
