import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertPage, ConsoleAction, Operator } from './api-types.js';
import { createInProcessSource } from './in-process-source.js';
import { alertEvent, deliveryRecord } from './testing/fixtures.js';
import { nothingWithin, openSse } from './testing/sse-reader.js';
import { type ConsoleServer, startConsoleServer } from './testing/start-console-server.js';

// Operators by bearer token: one of every organization, one of acme only, one of none.
const operators: Record<string, Operator> = {
  root: { id: 'root' },
  acme: { id: 'acme-op', organizations: ['acme'] },
  none: { id: 'nobody', organizations: [] },
};
const source = createInProcessSource();
const actions: ConsoleAction[] = [];
let authorized = 0;
let server: ConsoleServer;

const hostileTitle = `<script>alert('x')</script><img src=x onerror=alert(1)> *bold* <!here> \u202Egnp.exe ${'x'.repeat(10_000)}`;

beforeAll(async () => {
  // Core's events cap a title at 255 characters; a source may still hold anything, so the console is
  // tested with more than any event carries.
  const parsed = alertEvent({ id: 'acme-1', organizationId: 'acme', title: hostileTitle.slice(0, 255) });
  const acme = { ...parsed, alert: { ...parsed.alert, title: hostileTitle } };
  source.event(acme);
  source.record(
    deliveryRecord(acme, {
      status: 'failed',
      // Core redacts error messages; the console shows only the code anyway.
      error: { code: 'permanent', message: 'POST https://hooks.slack.com/services/T000/B000/secret failed' },
    }),
  );
  source.event(alertEvent({ id: 'globex-1', organizationId: 'globex', title: 'Globex secret project' }));
  server = await startConsoleServer({
    source,
    authorize: async (request) => {
      authorized++;
      return operators[request.headers.get('authorization')?.replace('Bearer ', '') ?? ''];
    },
    onAction: async (action) => {
      actions.push(action);
    },
    allowedOrigins: ['https://ops.example.com'],
  });
});
afterAll(() => server?.close());

const get = (path: string, token?: string) =>
  fetch(`${server.origin}/console${path}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
const post = (path: string, token: string, headers: Record<string, string>, body: string) =>
  fetch(`${server.origin}/console${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, ...headers },
    body,
  });
const json = { 'content-type': 'application/json' };

describe('the console, for a request it refuses', () => {
  it('answers 401 and no data on every route, asking authorize each time', async () => {
    const paths = [
      '/',
      '/api/alerts',
      '/api/alerts/acme/acme-1',
      '/api/health',
      '/api/live',
      '/api/operator',
    ];
    const before = authorized;
    for (const path of paths) {
      for (const token of [undefined, 'stranger']) {
        const response = await get(path, token);
        expect(response.status, path).toBe(401);
        const text = await response.text();
        expect(text).toBe('{"error":{"code":"unauthorized","message":"Sign in to use the console"}}');
      }
    }
    const action = await post(
      '/api/alerts/acme/acme-1/actions',
      'stranger',
      { ...json, origin: server.origin },
      '{"kind":"resolve"}',
    );
    expect(action.status).toBe(401);
    expect(authorized - before).toBe(paths.length * 2 + 1);
    expect(actions).toEqual([]);
  });
});

describe('an operator limited to some organizations', () => {
  it('lists only their organizations, and 403 for another one asked by name', async () => {
    const list = (await (await get('/api/alerts', 'acme')).json()) as AlertPage;
    expect(list.alerts.map((a) => a.alertId)).toEqual(['acme-1']);
    const other = await get('/api/alerts?organization=globex', 'acme');
    expect(other.status).toBe(403);
    expect(await other.text()).not.toContain('Globex');
    const none = (await (await get('/api/alerts', 'none')).json()) as AlertPage;
    expect(none.alerts).toEqual([]);
    const all = (await (await get('/api/alerts', 'root')).json()) as AlertPage;
    expect(all.alerts.map((a) => a.alertId).sort()).toEqual(['acme-1', 'globex-1']);
  });

  it("gets 403 and nothing for another organization's alert page, existing or not", async () => {
    for (const path of ['/api/alerts/globex/globex-1', '/api/alerts/globex/nope']) {
      const response = await get(path, 'acme');
      expect(response.status).toBe(403);
      expect(await response.text()).toBe(
        '{"error":{"code":"forbidden","message":"This operator may not see that organization"}}',
      );
    }
  });

  it('sees the health of their organizations only', async () => {
    const now = alertEvent({ id: 'globex-1', organizationId: 'globex' });
    source.record(deliveryRecord(now, { at: new Date() }));
    const health = (await (await get('/api/health', 'acme')).json()) as { organizations: unknown[] };
    expect(health.organizations).toEqual([]);
    const rootHealth = (await (await get('/api/health', 'root')).json()) as {
      organizations: { organizationId: string }[];
    };
    expect(rootHealth.organizations.map((h) => h.organizationId)).toEqual(['globex']);
  });

  it("hears nothing of another organization's changes on the live channel", async () => {
    const live = await openSse(`${server.origin}/console/api/live`, { authorization: 'Bearer acme' });
    try {
      source.event(alertEvent({ id: 'globex-2', organizationId: 'globex', title: 'Globex again' }));
      source.event(alertEvent({ id: 'acme-2', organizationId: 'acme' }));
      const event = await live.next();
      expect(JSON.parse(event.data)).toMatchObject({ type: 'alert', alert: { alertId: 'acme-2' } });
      expect(await nothingWithin(live, 200)).toBe(true);
    } finally {
      live.close();
    }
  });

  it("cannot act on another organization's alert", async () => {
    const response = await post(
      '/api/alerts/globex/globex-1/actions',
      'acme',
      { ...json, origin: server.origin },
      '{"kind":"resolve"}',
    );
    expect(response.status).toBe(403);
    expect(actions).toEqual([]);
  });
});

describe('actions', () => {
  const act = (headers: Record<string, string>, body = '{"kind":"acknowledge"}') =>
    post('/api/alerts/acme/acme-1/actions', 'root', headers, body);

  it('refuse another origin, a missing Origin, a form body and a body over 16 KB', async () => {
    expect((await act({ ...json, origin: 'https://evil.example' })).status).toBe(403);
    expect((await act({ ...json, origin: 'null' })).status).toBe(403);
    expect((await act(json)).status).toBe(403);
    expect((await act({ 'content-type': 'text/plain', origin: server.origin })).status).toBe(415);
    expect(
      (
        await act(
          { 'content-type': 'application/x-www-form-urlencoded', origin: server.origin },
          'kind=resolve',
        )
      ).status,
    ).toBe(415);
    const big = JSON.stringify({ kind: 'assign', assignee: 'x'.repeat(17 * 1024) });
    expect((await act({ ...json, origin: server.origin }, big)).status).toBe(413);
    expect((await act({ ...json, origin: server.origin }, '{"kind":"delete"}')).status).toBe(400);
    expect((await act({ ...json, origin: server.origin }, 'not json')).status).toBe(400);
    expect(actions).toEqual([]);
  });

  it('accept the console origin and an allowed one', async () => {
    expect((await act({ ...json, origin: server.origin })).status).toBe(200);
    expect((await act({ ...json, origin: 'https://ops.example.com' })).status).toBe(200);
    expect(actions).toHaveLength(2);
  });
});

describe('hostile alert text', () => {
  it('comes back as JSON data, exactly as sent, and is never part of the page', async () => {
    const response = await get('/api/alerts/acme/acme-1', 'root');
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    const alert = (await response.json()) as { title: string };
    expect(alert.title === hostileTitle).toBe(true);
    const page = await (await get('/', 'root')).text();
    expect(page).not.toContain('<script>alert');
    expect(page).not.toContain('onerror');
  });

  it('answers carry no webhook URL or error text, only codes and redacted targets', async () => {
    const text = await (await get('/api/alerts/acme/acme-1', 'root')).text();
    expect(text).not.toContain('hooks.slack.com/services');
    expect(text).not.toContain('secret');
    expect(text).toContain('"errorCode":"permanent"');
  });
});
