import { useEffect, useState } from 'react';
import type { OrganizationHealth } from '../api-types.js';
import { fetchHealth } from './api-client.js';

const refreshMs = 30_000;

/** Delivered, failed and dead per organization, last hour and last day; refreshed every 30 s. */
export function HealthTable() {
  const [health, setHealth] = useState<OrganizationHealth[]>([]);
  useEffect(() => {
    const load = () =>
      fetchHealth().then(
        (h) => setHealth(h.organizations),
        () => {},
      );
    void load();
    const timer = setInterval(load, refreshMs);
    return () => clearInterval(timer);
  }, []);
  if (health.length === 0) return null;
  return (
    <table className="health">
      <caption>Delivery health</caption>
      <thead>
        <tr>
          <th>Organization</th>
          <th>Last hour (delivered / failed / dead)</th>
          <th>Last day (delivered / failed / dead)</th>
        </tr>
      </thead>
      <tbody>
        {health.map((h) => (
          <tr key={h.organizationId}>
            <td>{h.organizationId}</td>
            <td>
              {h.lastHour.delivered} / {h.lastHour.failed} / {h.lastHour.dead}
            </td>
            <td>
              {h.lastDay.delivered} / {h.lastDay.failed} / {h.lastDay.dead}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
