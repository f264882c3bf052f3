import { useEffect, useState } from 'react';
import type { DigestView as Digest } from '../api-types.js';
import { fetchDigest } from './api-client.js';
import { alertHref } from './hash-route.js';

/** A storm digest: the alerts folded into it, each a link to its page. */
export function DigestView({ organizationId, digestId }: { organizationId: string; digestId: string }) {
  const [digest, setDigest] = useState<Digest>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    fetchDigest(organizationId, digestId).then(setDigest, (e: Error) => setError(e.message));
  }, [organizationId, digestId]);
  if (!digest) return <main>{error ? <p className="error">{error}</p> : <p>Loading…</p>}</main>;
  return (
    <main className="digest-view" data-testid="digest-view">
      <p>
        <a href="#/">← All alerts</a>
      </p>
      <h2>Storm digest {digest.digestId}</h2>
      <p>
        {digest.organizationId}: {digest.alerts.length} alerts folded into it
      </p>
      <ul>
        {digest.alerts.map((alert) => (
          <li key={alert.alertId}>
            <a href={alertHref(alert.organizationId, alert.alertId)}>{alert.title ?? alert.alertId}</a> ·{' '}
            {alert.severity ?? '—'} · {alert.status}
          </li>
        ))}
      </ul>
    </main>
  );
}
