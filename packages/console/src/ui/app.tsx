import { useEffect, useState } from 'react';
import type { OperatorInfo } from '../api-types.js';
import { AlertList } from './alert-list.js';
import { AlertView } from './alert-view.js';
import { fetchOperator } from './api-client.js';
import { DigestView } from './digest-view.js';
import { queueHref, useHashRoute } from './hash-route.js';
import { QueueView } from './queue-view.js';

export function App() {
  const route = useHashRoute();
  const [operator, setOperator] = useState<OperatorInfo>();
  const [error, setError] = useState<string>();
  useEffect(() => {
    fetchOperator().then(setOperator, (e: Error) => setError(e.message));
  }, []);
  return (
    <div className="console">
      <header className="top">
        <h1>
          <a href="#/">PyTake Notify · Console</a>
        </h1>
        <nav>
          <a href="#/">Alerts</a>
          {operator?.queueEnabled && <a href={queueHref}>Queue</a>}
        </nav>
        {operator && <span className="operator">{operator.name ?? operator.id}</span>}
      </header>
      {error && <p className="error">{error}</p>}
      {route.view === 'alert' ? (
        <AlertView
          organizationId={route.organizationId}
          alertId={route.alertId}
          actionsEnabled={operator?.actionsEnabled ?? false}
        />
      ) : route.view === 'digest' ? (
        <DigestView organizationId={route.organizationId} digestId={route.digestId} />
      ) : route.view === 'queue' ? (
        <QueueView />
      ) : (
        <AlertList />
      )}
    </div>
  );
}
