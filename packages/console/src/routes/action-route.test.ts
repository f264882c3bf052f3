import type { AlertInput } from '@pytake/notify-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleAction, Operator } from '../api-types.js';
import { createInProcessSource } from '../in-process-source.js';
import type { ConsoleSource } from '../source.js';
import { alertEvent } from '../testing/fixtures.js';
import { type ConsoleServer, startConsoleServer } from '../testing/start-console-server.js';

// After the service's onAction returns the alert as it is now, the console asks the source to edit
// the alert's messages: a test double of the service boundary stands for the queue.

const event = alertEvent({ id: 'alr-1', organizationId: 'acme' });
const inner = createInProcessSource();
inner.event(event);
const edits: AlertInput[] = [];
// The in-process source plus the optional method, as a source that can edit messages has it.
const source: ConsoleSource = {
  listAlerts: inner.listAlerts,
  getAlert: inner.getAlert,
  health: inner.health,
  changes: inner.changes,
  recordAction: inner.recordAction,
  async updateAlertMessages(alert) {
    edits.push(alert);
  },
};
const acted: ConsoleAction[] = [];
let returns: 'alert' | 'nothing' | 'another' = 'alert';
const now = (action: ConsoleAction): AlertInput => ({
  ...event.alert,
  status: action.kind === 'resolve' ? 'resolved' : 'acknowledged',
});
let servers: ConsoleServer[] = [];

const post = (server: ConsoleServer, kind: string) =>
  fetch(`${server.origin}/console/api/alerts/acme/alr-1/actions`, {
    method: 'POST',
    headers: { origin: server.origin, 'content-type': 'application/json' },
    body: JSON.stringify({ kind }),
  });

const ana: Operator = { id: 'ana' };
let server: ConsoleServer;
beforeAll(async () => {
  server = await startConsoleServer({
    source,
    authorize: async () => ana,
    onAction: async (action) => {
      acted.push(action);
      if (returns === 'nothing') return;
      if (returns === 'another') return { ...now(action), id: 'alr-other' };
      return now(action);
    },
  });
  servers = [server];
});
afterAll(async () => {
  for (const s of servers) await s.close();
});

describe('actionRoute', () => {
  describe('POST alerts/:org/:id/actions', () => {
    it("asks the source to edit the alert's messages with the alert onAction returns", async () => {
      const response = await post(server, 'acknowledge');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ok: true, messagesUpdated: true });
      expect(edits).toEqual([expect.objectContaining({ id: 'alr-1', status: 'acknowledged' })]);
    });

    it('edits nothing when onAction returns nothing, or another alert', async () => {
      edits.length = 0;
      returns = 'nothing';
      const quiet = await post(server, 'resolve');
      expect(quiet.status).toBe(200);
      expect(await quiet.json()).toMatchObject({ ok: true, messagesUpdated: false });
      returns = 'another';
      expect((await post(server, 'resolve')).status).toBe(200);
      expect(edits).toEqual([]);
      returns = 'alert';
    });

    it('refuses a POST from another origin before onAction or an edit', async () => {
      const before = acted.length;
      const response = await fetch(`${server.origin}/console/api/alerts/acme/alr-1/actions`, {
        method: 'POST',
        headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'resolve' }),
      });
      expect(response.status).toBe(403);
      expect(acted.length).toBe(before);
    });

    it('answers 200 when the edit fails, telling onError: the action is done', async () => {
      const errors: unknown[] = [];
      const failing = await startConsoleServer({
        source: {
          ...source,
          updateAlertMessages: async () => {
            throw new Error('Redis is away');
          },
        },
        authorize: async () => ana,
        onAction: async (action) => now(action),
        onError: (error) => errors.push(error),
      });
      servers.push(failing);
      const response = await post(failing, 'acknowledge');
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ok: true, messagesUpdated: false });
      expect(errors).toEqual([new Error('Redis is away')]);
    });
  });
});
