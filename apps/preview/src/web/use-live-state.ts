import { useEffect, useState } from 'react';
import { type AlertState, api, type DeliveryRecord, type OutboxEntry, type Stats } from './api.js';
import { connectLive } from './live-client.js';

/**
 * What the server has sent and knows, kept up to date by its live channel as sends complete and
 * Slack buttons are pressed: one channel for the whole app, each event applied once even across
 * reconnects (see live-client.ts). `templatesVersion` is bumped when `pnpm demo` reloads the template
 * sources after an edit.
 */
export function useLiveState() {
  const [outbox, setOutbox] = useState<OutboxEntry[]>([]);
  const [records, setRecords] = useState<DeliveryRecord[]>([]);
  const [stats, setStats] = useState<Stats>();
  // The app's alert state, which the Slack view shows under a message after a button press.
  const [alerts, setAlerts] = useState<AlertState[]>([]);
  const [templatesVersion, setTemplatesVersion] = useState(0);

  useEffect(() => {
    const loadState = () => {
      void api<OutboxEntry[]>('/api/outbox').then(setOutbox);
      void api<DeliveryRecord[]>('/api/deliveries').then(setRecords);
      void api<Stats>('/api/stats').then(setStats);
      void api<AlertState[]>('/api/alerts').then(setAlerts);
    };
    loadState();
    const source = connectLive('/api/live', { onReload: loadState });
    source.addEventListener('delivery', (e) => {
      setRecords((list) => [JSON.parse(e.data) as DeliveryRecord, ...list].slice(0, 500));
      void api<Stats>('/api/stats').then(setStats);
    });
    source.addEventListener('outbox', (e) => {
      const entry = JSON.parse(e.data) as OutboxEntry;
      // A replaced or updated Slack message keeps its place.
      setOutbox((list) =>
        list.some((x) => x.id === entry.id)
          ? list.map((x) => (x.id === entry.id ? entry : x))
          : [entry, ...list].slice(0, 200),
      );
    });
    source.addEventListener('outbox-cleared', () => setOutbox([]));
    source.addEventListener('templates-changed', () => setTemplatesVersion((v) => v + 1));
    source.addEventListener('alert', (e) => {
      const state = JSON.parse(e.data) as AlertState;
      setAlerts((list) => [state, ...list.filter((a) => a.alertId !== state.alertId)].slice(0, 100));
    });
    return () => source.close();
  }, []);

  return { outbox, records, stats, alerts, templatesVersion };
}
