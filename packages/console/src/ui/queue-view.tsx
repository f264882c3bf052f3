import { useCallback, useEffect, useState } from 'react';
import type { QueueOverview } from '../api-types.js';
import { fetchQueue, retryAllDeadLetters, retryDeadLetter } from './api-client.js';
import { alertHref } from './hash-route.js';

const refreshMs = 5_000;

/** The queue: jobs per queue and state, and the dead letters with Retry and Retry all. */
export function QueueView() {
  const [overview, setOverview] = useState<QueueOverview>();
  const [error, setError] = useState<string>();
  const [notice, setNotice] = useState<string>();
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    () =>
      fetchQueue().then(
        (o) => {
          setOverview(o);
          setError(undefined);
        },
        (e: Error) => setError(e.message),
      ),
    [],
  );
  useEffect(() => {
    void load();
    const timer = setInterval(load, refreshMs);
    return () => clearInterval(timer);
  }, [load]);

  const retry = async (run: () => Promise<string>) => {
    setBusy(true);
    try {
      setNotice(await run());
      setError(undefined);
      await load();
    } catch (e) {
      setError((e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  if (!overview) return <main>{error ? <p className="error">{error}</p> : <p>Loading…</p>}</main>;
  const letters = overview.deadLetters;
  return (
    <main className="queue-view" data-testid="queue-view">
      <h2>Queue</h2>
      {error && <p className="error">{error}</p>}
      {notice && <p className="notice">{notice}</p>}
      {overview.counts && (
        <table className="counts">
          <caption>Jobs per queue</caption>
          <thead>
            <tr>
              <th>Queue</th>
              <th>Waiting</th>
              <th>Delayed</th>
              <th>Active</th>
              <th>Dead</th>
            </tr>
          </thead>
          <tbody>
            {overview.counts.map((row) => (
              <tr key={row.queue}>
                <td>{row.queue}</td>
                <td>{row.waiting}</td>
                <td>{row.delayed}</td>
                <td>{row.active}</td>
                <td>{row.dead}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {overview.holds && (
        <>
          <h3>Rate-limit holds</h3>
          {overview.holds.length === 0 ? (
            <p>None: no target answered 429 lately.</p>
          ) : (
            <table className="holds">
              <caption>Targets that answered 429: every worker waits until the hold ends</caption>
              <thead>
                <tr>
                  <th>Organization</th>
                  <th>Route and target</th>
                  <th>Held until</th>
                </tr>
              </thead>
              <tbody>
                {overview.holds.map((hold) => (
                  <tr
                    key={`${hold.organizationId}\n${hold.route}\n${hold.target}`}
                    data-testid="rate-limit-hold"
                  >
                    <td>{hold.organizationId}</td>
                    <td>
                      {hold.route}: {hold.target}
                    </td>
                    <td>{new Date(hold.until).toLocaleTimeString()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
      <h3>Dead letters</h3>
      {letters.length === 0 ? (
        <p>None.</p>
      ) : (
        <>
          <div className="actions">
            <button
              type="button"
              disabled={busy}
              onClick={() =>
                void retry(async () => `Retried ${(await retryAllDeadLetters()).retried} dead letters`)
              }
            >
              Retry all
            </button>
          </div>
          <table className="dead-letters">
            <thead>
              <tr>
                <th>Failed</th>
                <th>Alert</th>
                <th>Route and target</th>
                <th>Last error</th>
                <th>Attempts</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {letters.map((letter) => (
                <tr key={letter.id} data-testid="dead-letter">
                  <td>{letter.failedAt ? new Date(letter.failedAt).toLocaleString() : '—'}</td>
                  <td>
                    {letter.organizationId && letter.alertId ? (
                      <a href={alertHref(letter.organizationId, letter.alertId)}>
                        {letter.organizationId} / {letter.alertId}
                      </a>
                    ) : (
                      '—'
                    )}
                    {letter.eventType && ` · ${letter.eventType}`}
                  </td>
                  <td>
                    {letter.queue}
                    {letter.target && `: ${letter.target}`}
                  </td>
                  <td>
                    <strong>{letter.errorCode}</strong> {letter.errorMessage}
                  </td>
                  <td>{letter.attempts}</td>
                  <td>
                    {!letter.malformed && (
                      <button
                        type="button"
                        disabled={busy}
                        onClick={() =>
                          void retry(async () => {
                            await retryDeadLetter(letter.id);
                            return `Retried ${letter.alertId ?? letter.id}`;
                          })
                        }
                      >
                        Retry
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </main>
  );
}
