import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPreview, startPreview } from './start-preview.js';

let preview: RunningPreview;
let base: string;

const get = (path: string) => fetch(`${base}${path}`);
const post = (path: string, body: string | object) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const fixture = async (name: string) =>
  (await (await get(`/api/fixtures/${name}`)).json()) as { alert: Record<string, unknown> } & Record<
    string,
    unknown
  >;
/** A fixture's event, for an alert of its own so tests do not see each other's alerts. */
const eventFor = async (name: string, alertId: string, alert: Record<string, unknown> = {}) => {
  const event = await fixture(name);
  return { ...event, alert: { ...event.alert, id: alertId, ...alert } };
};

beforeAll(async () => {
  preview = await startPreview({ port: 0, smtpPort: 0, env: { SLACK_SIGNING_SECRET: 'routes-secret-1' } });
  base = preview.url;
});
afterAll(() => preview?.close());

interface Target {
  channel: string;
  state: string;
  attempts: number;
}
interface Alert {
  alertId: string;
  severity: string;
  status: string;
  stale: boolean;
  lastEventType: string;
  organizationId: string;
  actions: string[];
  timeline?: { kind: string; type: string; targets: Target[] }[];
}

describe('alert console API', () => {
  describe('POST /api/notify', () => {
    it('sends an event to the preview organization and records it with every target', async () => {
      const response = await post('/api/notify', {
        event: await eventFor('created-critical', 'alrt_notify_1'),
      });
      expect(response.status).toBe(200);
      const report = (await response.json()) as { summary: Record<string, number> };
      expect(report.summary.delivered).toBeGreaterThanOrEqual(2);
      const alert = (await (await get('/api/alerts/alrt_notify_1')).json()) as Alert;
      expect(alert).toMatchObject({
        alertId: 'alrt_notify_1',
        severity: 'critical',
        status: 'open',
        stale: false,
      });
      expect(alert.timeline).toHaveLength(1);
      expect(alert.timeline![0]).toMatchObject({ kind: 'event', type: 'alert.created' });
      const channels = alert.timeline![0]!.targets.map((t) => [t.channel, t.state, t.attempts]);
      expect(channels).toEqual(
        expect.arrayContaining([
          ['email', 'delivered', 1],
          ['slack', 'delivered', 1],
        ]),
      );
    });

    it('answers a malformed event with 400 naming the field', async () => {
      const event = await eventFor('created-critical', 'alrt_bad', { severity: 'urgent' });
      const response = await post('/api/notify', { event });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; issues: { path: string }[] } };
      expect(error.code).toBe('validation');
      expect(error.issues.map((i) => i.path)).toEqual(['alert.severity']);
      expect((await get('/api/alerts/alrt_bad')).status).toBe(404);
    });

    it('answers a body without an event, and one that is not JSON, with 400', async () => {
      const missing = await post('/api/notify', { alert: {} });
      expect(missing.status).toBe(400);
      expect(
        ((await missing.json()) as { error: { issues: { path: string }[] } }).error.issues[0]!.path,
      ).toBe('event');
      const broken = await post('/api/notify', '{"event": ');
      expect(broken.status).toBe(400);
      expect(((await broken.json()) as { error: { code: string } }).error.code).toBe('bad_json');
    });
  });

  describe('POST /api/send', () => {
    it('records a Send test in the console too', async () => {
      const response = await post('/api/send', { event: await eventFor('stale-9-days', 'alrt_sent_1') });
      expect(response.status).toBe(200);
      const alert = (await (await get('/api/alerts/alrt_sent_1')).json()) as Alert;
      expect(alert).toMatchObject({ stale: true, lastEventType: 'alert.stale' });
    });
  });

  describe('GET /api/alerts', () => {
    it('lists alerts newest first, filtered by severity, status and organization, and searched', async () => {
      await post('/api/notify', { event: await eventFor('created-critical', 'alrt_list_a') });
      await post('/api/notify', {
        event: await eventFor('created-critical', 'alrt_list_b', {
          severity: 'low',
          organizationId: 'org_list_other',
          title: 'Webhook queue growing',
        }),
      });
      const ids = async (query: string) =>
        ((await (await get(`/api/alerts${query}`)).json()) as Alert[]).map((a) => a.alertId);
      expect((await ids('')).slice(0, 2)).toEqual(['alrt_list_b', 'alrt_list_a']);
      expect(await ids('?severity=low')).toContain('alrt_list_b');
      expect(await ids('?severity=low')).not.toContain('alrt_list_a');
      expect(await ids('?organization=org_list_other')).toEqual(['alrt_list_b']);
      expect(await ids('?q=webhook%20QUEUE')).toEqual(['alrt_list_b']);
      expect(await ids('?status=resolved')).not.toContain('alrt_list_a');
      expect(await ids('?status=stale')).not.toContain('alrt_list_a');
      // The list leaves timelines out; an alert's page has them.
      const list = (await (await get('/api/alerts')).json()) as Alert[];
      expect(list[0]!.timeline).toBeUndefined();
    });

    it('answers an unknown filter value with 400 naming the parameter', async () => {
      const response = await get('/api/alerts?severity=urgent');
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { issues: { path: string; message: string }[] } };
      expect(error.issues).toEqual([{ path: 'severity', message: expect.stringContaining('"urgent"') }]);
      const status = await get('/api/alerts?status=closed');
      expect(status.status).toBe(400);
      expect(await status.text()).toContain('status');
    });
  });

  describe('GET /api/alerts/:id', () => {
    it('answers an unknown alert with 404 naming it', async () => {
      const response = await get('/api/alerts/alrt_never_sent');
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: { code: 'not_found', message: expect.stringContaining('"alrt_never_sent"') },
      });
    });
  });
});
