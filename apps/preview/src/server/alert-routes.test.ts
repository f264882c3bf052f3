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

describe("the app's alert state API", () => {
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
    it('lists alerts most recently updated first, without their timelines', async () => {
      await post('/api/notify', { event: await eventFor('created-critical', 'alrt_list_a') });
      await post('/api/notify', { event: await eventFor('created-critical', 'alrt_list_b') });
      const list = (await (await get('/api/alerts')).json()) as Alert[];
      expect(list.slice(0, 2).map((a) => a.alertId)).toEqual(['alrt_list_b', 'alrt_list_a']);
      // An alert's page has them.
      expect(list[0]!.timeline).toBeUndefined();
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
