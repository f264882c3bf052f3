import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDetail, DigestView, OperatorInfo } from '../api-types.js';
import { createInProcessSource } from '../in-process-source.js';
import { alertEvent, deliveryRecord } from '../testing/fixtures.js';
import { type ConsoleServer, startConsoleServer } from '../testing/start-console-server.js';

const source = createInProcessSource();
let server: ConsoleServer;
beforeAll(async () => {
  for (const [id, organizationId, digestId] of [
    ['alr-1', 'acme', 'dg-1'],
    ['alr-2', 'acme', 'dg-1'],
    ['alr-3', 'acme', 'dg-2'],
    ['alr-4', 'globex', 'dg-1'],
  ] as const) {
    const event = alertEvent({ id, organizationId });
    source.event(event);
    source.record(deliveryRecord(event, { status: 'digested', digestId }));
  }
  server = await startConsoleServer({
    source,
    authorize: async (request) => ({
      id: 'ana',
      ...(request.headers.get('x-org') ? { organizations: [request.headers.get('x-org')!] } : {}),
    }),
  });
});
afterAll(() => server?.close());

const get = (path: string, headers: Record<string, string> = {}) =>
  fetch(`${server.origin}/console/api/${path}`, { headers });

describe('digestRoute', () => {
  describe('GET digests/:org/:digestId', () => {
    it("lists the alerts folded into a digest, of the digest's organization only", async () => {
      const alert = (await (await get('alerts/acme/alr-1')).json()) as AlertDetail;
      expect(alert.digestIds).toEqual(['dg-1']);
      const response = await get('digests/acme/dg-1');
      expect(response.status).toBe(200);
      const digest = (await response.json()) as DigestView;
      expect(digest.digestId).toBe('dg-1');
      expect(digest.alerts.map((a) => a.alertId)).toEqual(['alr-2', 'alr-1']);
    });

    it('answers 404 for an unknown digest and 403 for an organization the operator may not see', async () => {
      expect((await get('digests/acme/dg-9')).status).toBe(404);
      const refused = await get('digests/globex/dg-1', { 'x-org': 'acme' });
      expect(refused.status).toBe(403);
      expect(JSON.stringify(await refused.json())).not.toContain('alr-4');
    });
  });

  describe('without a queue', () => {
    it('has no Queue view: the operator is told so, and its routes answer 501', async () => {
      expect(((await (await get('operator')).json()) as OperatorInfo).queueEnabled).toBe(false);
      expect((await get('queue')).status).toBe(501);
      const retry = await fetch(`${server.origin}/console/api/dead-letters/retry-all`, {
        method: 'POST',
        headers: { origin: server.origin, 'content-type': 'application/json' },
        body: '{}',
      });
      expect(retry.status).toBe(501);
    });
  });
});
