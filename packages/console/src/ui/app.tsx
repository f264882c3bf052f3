import { useEffect, useState } from 'react';
import type { OperatorInfo } from '../api-types.js';
import { AlertList } from './alert-list.js';
import { AlertView } from './alert-view.js';
import { fetchOperator } from './api-client.js';
import { useHashRoute } from './hash-route.js';

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
        {operator && <span className="operator">{operator.name ?? operator.id}</span>}
      </header>
      {error && <p className="error">{error}</p>}
      {route.view === 'alert' ? (
        <AlertView
          organizationId={route.organizationId}
          alertId={route.alertId}
          actionsEnabled={operator?.actionsEnabled ?? false}
        />
      ) : (
        <AlertList />
      )}
    </div>
  );
}
