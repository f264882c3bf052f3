import { ConfigError } from '@pytake/notify-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AlertPage, ConsoleAction, Operator } from './api-types.js';
import { createConsole } from './create-console.js';
import { createInProcessSource } from './in-process-source.js';
import { alertEvent, deliveryRecord } from './testing/fixtures.js';
import { type ConsoleServer, startConsoleServer } from './testing/start-console-server.js';

const ana: Operator = { id: 'u1', name: 'Ana' };
const source = createInProcessSource();
const actions: Array<[ConsoleAction, Operator]> = [];
let server: ConsoleServer;
const api = (path: string, init?: RequestInit) => fetch(`${server.origin}/ops/console/api${path}`, init);

beforeAll(async () => {
  const created = alertEvent({ id: 'alr-1', organizationId: 'acme' });
  source.event(created);
  // Now, so that it counts in the last hour's health.
  source.record(deliveryRecord(created, { at: new Date() }));
  source.event(alertEvent({ id: 'alr-2', organizationId: 'acme', severity: 'critical' }));
  server = await startConsoleServer({
    source,
    basePath: '/ops/console',
    authorize: async (request) => (request.headers.get('authorization') === 'Bearer ana' ? ana : undefined),
    onAction: async (action, operator) => {
      actions.push([action, operator]);
    },
  });
});
afterAll(() => server?.close());

const as = { authorization: 'Bearer ana' };

describe('createConsole', () => {
  describe('options', () => {
    it('refuses to start without authorize, naming it', () => {
      expect(() => createConsole({ source })).toThrow(ConfigError);
      expect(() => createConsole({ source })).toThrow(/authorize: is required/);
    });

    it('opens to anyone only when told to, loudly, and warns once', async () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
      try {
        const open = createConsole({ source, dangerouslyAllowAnyoneForLocalDevelopment: true });
        createConsole({ source, dangerouslyAllowAnyoneForLocalDevelopment: true });
        expect(warn).toHaveBeenCalledTimes(1);
        expect(String(warn.mock.calls[0]?.[0])).toMatch(/dangerouslyAllowAnyoneForLocalDevelopment is on/);
        const response = await open.fetch(new Request('http://localhost/console/api/operator'));
        expect(await response.json()).toEqual({
          id: 'local-development',
          name: 'Local development (no sign-in)',
          actionsEnabled: false,
          queueEnabled: false,
        });
      } finally {
        warn.mockRestore();
      }
    });

    it('refuses the open console in production, a bad base path and a bad origin', () => {
      vi.stubEnv('NODE_ENV', 'production');
      try {
        expect(() => createConsole({ source, dangerouslyAllowAnyoneForLocalDevelopment: true })).toThrow(
          /refused when NODE_ENV is production/,
        );
      } finally {
        vi.unstubAllEnvs();
      }
      const authorize = async () => ana;
      expect(() => createConsole({ source, authorize, basePath: 'console/' })).toThrow(/basePath/);
      expect(() => createConsole({ source, authorize, basePath: '/a/../b' })).toThrow(/basePath/);
      expect(() =>
        createConsole({ source, authorize, allowedOrigins: ['https://ops.example.com/x'] }),
      ).toThrow(/allowedOrigins\[0\]/);
    });
  });

  describe('the JSON API', () => {
    it('lists alerts newest first, with paging', async () => {
      const first = (await (await api('/alerts?limit=1', { headers: as })).json()) as AlertPage;
      expect(first.alerts.map((a) => a.alertId)).toEqual(['alr-2']);
      const second = (await (
        await api(`/alerts?limit=1&cursor=${first.next}`, { headers: as })
      ).json()) as AlertPage;
      expect(second.alerts.map((a) => a.alertId)).toEqual(['alr-1']);
      expect(second.next).toBeUndefined();
      const critical = (await (await api('/alerts?severity=critical', { headers: as })).json()) as AlertPage;
      expect(critical.alerts.map((a) => a.alertId)).toEqual(['alr-2']);
    });

    it('answers a bad filter with 400 naming it', async () => {
      const response = await api('/alerts?severity=urgent&limit=5000', { headers: as });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { message: string } };
      expect(error.message).toMatch(/severity: expected one of critical/);
      expect(error.message).toMatch(/limit: expected a whole number from 1 to 200/);
    });

    it("shows an alert's page, 404 for one it does not know", async () => {
      const response = await api('/alerts/acme/alr-1', { headers: as });
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.json()).toMatchObject({
        alertId: 'alr-1',
        timeline: [
          { type: 'alert.created', targets: [{ state: 'delivered', target: 'hooks.slack.com/…a1b2' }] },
        ],
      });
      expect((await api('/alerts/acme/nope', { headers: as })).status).toBe(404);
    });

    it('answers health per organization', async () => {
      const response = await api('/health', { headers: as });
      expect(await response.json()).toEqual({
        organizations: [
          {
            organizationId: 'acme',
            lastHour: { delivered: 1, failed: 0, dead: 0 },
            lastDay: { delivered: 1, failed: 0, dead: 0 },
          },
        ],
      });
    });

    it('hands an action to onAction with the operator, then shows it in the timeline', async () => {
      const response = await api('/alerts/acme/alr-1/actions', {
        method: 'POST',
        headers: { ...as, origin: server.origin, 'content-type': 'application/json' },
        body: JSON.stringify({ kind: 'assign', assignee: 'Bruno' }),
      });
      expect(response.status).toBe(200);
      expect(actions).toEqual([
        [{ kind: 'assign', organizationId: 'acme', alertId: 'alr-1', assignee: 'Bruno' }, ana],
      ]);
      const alert = (await response.json()) as {
        alert: { assignee: string; timeline: { type: string; by?: string }[] };
      };
      expect(alert.alert.assignee).toBe('Bruno');
      expect(alert.alert.timeline.at(-1)).toMatchObject({ type: 'assign', by: 'Ana' });
    });

    it('answers a path it does not have with 404 JSON', async () => {
      const response = await api('/nothing', { headers: as });
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({ error: { code: 'not_found', message: 'Not found' } });
    });
  });

  describe('the UI', () => {
    it('serves the page under the base path with the API base written in, and its files cached', async () => {
      const redirect = await fetch(`${server.origin}/ops/console`, { headers: as, redirect: 'manual' });
      expect(redirect.status).toBe(308);
      expect(redirect.headers.get('location')).toBe('/ops/console/');
      const page = await fetch(`${server.origin}/ops/console/`, { headers: as });
      expect(page.headers.get('content-type')).toBe('text/html; charset=UTF-8');
      expect(page.headers.get('cache-control')).toBe('no-cache');
      expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
      const html = await page.text();
      expect(html).toContain('<meta name="pytake-console-base" content="/ops/console" />');
      const script = /src="\.\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
      const style = /href="\.\/(assets\/[^"]+\.css)"/.exec(html)?.[1];
      const js = await fetch(`${server.origin}/ops/console/${script}`, { headers: as });
      expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
      expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const css = await fetch(`${server.origin}/ops/console/${style}`, { headers: as });
      expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
      expect(
        (await fetch(`${server.origin}/ops/console/assets/..%2Fpackage.json`, { headers: as })).status,
      ).toBe(404);
    });

    it('answers nothing outside its base path', async () => {
      expect((await fetch(`${server.origin}/other`, { headers: as })).status).toBe(404);
    });
  });
});
