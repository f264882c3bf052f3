import { describe, expect, it } from 'vitest';
import type { DigestView } from './api-types.js';
import { type ConsoleQueue, createRedisSource, type QueueIndexedAlert } from './redis-source.js';
import { startConsoleServer } from './testing/start-console-server.js';

// A digest found through the records stream: a queue of the shape the source reads, in memory, with
// the records a worker writes when storm control folds events into a digest.

const indexed = (organizationId: string, alertId: string): QueueIndexedAlert => ({
  organizationId,
  alertId,
  title: `Queue depth high on ${alertId}`,
  severity: 'high',
  status: 'open',
  createdAt: '2026-03-01T10:00:00Z',
  lastEvent: 'alert.created',
  lastEventAt: '2026-03-01T10:00:00Z',
});
const records = [
  ['acme', 'alr-1', 'dg-1'],
  ['acme', 'alr-2', 'dg-1'],
  ['acme', 'alr-3', undefined],
  ['globex', 'alr-4', 'dg-1'],
].map(([organizationId, alertId, digestId], i) => ({
  id: `1700000000000-${i}`,
  record: {
    organizationId: organizationId!,
    alertId: alertId!,
    status: digestId ? 'digested' : 'delivered',
    attempts: 1,
    at: '2026-03-01T10:00:01Z',
    ...(digestId && { digestId }),
  },
}));
const queue: ConsoleQueue = {
  alerts: {
    list: async () => ({ alerts: [] }),
    get: async (organizationId, alertId) => ({ ...indexed(organizationId, alertId), events: [] }),
  },
  records: {
    after: async (after, count = 100) => {
      const from = after ? records.findIndex((r) => r.id === after) + 1 : 0;
      return records.slice(from, from + count);
    },
    bounds: async () => ({ oldest: records[0]!.id, newest: records.at(-1)!.id }),
  },
};

describe('createRedisSource', () => {
  describe('digest()', () => {
    it('lists the alerts whose records name the digest, of its organization only', async () => {
      const server = await startConsoleServer({
        source: createRedisSource({ queue }),
        authorize: async () => ({ id: 'ana' }),
      });
      try {
        const response = await fetch(`${server.origin}/console/api/digests/acme/dg-1`);
        const digest = (await response.json()) as DigestView;
        expect(digest.alerts.map((a) => [a.alertId, a.title])).toEqual([
          ['alr-1', 'Queue depth high on alr-1'],
          ['alr-2', 'Queue depth high on alr-2'],
        ]);
        expect((await fetch(`${server.origin}/console/api/digests/acme/dg-9`)).status).toBe(404);
        // A queue without dead letters: no Queue view.
        expect((await fetch(`${server.origin}/console/api/queue`)).status).toBe(501);
      } finally {
        await server.close();
      }
    });
  });
});
