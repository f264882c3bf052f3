import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackHeaders } from '../testing/slack-signing.js';
import { until } from '../testing/until.js';
import { type RunningPreview, startPreview } from './start-preview.js';

const SECRET = 'preview-console-secret-7d1e';
let preview: RunningPreview;
let base: string;

const get = async <T>(path: string) => (await (await fetch(`${base}${path}`)).json()) as T;
const post = (path: string, body: string | object, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });

interface Slack {
  kind: string;
  id: string;
  via?: string;
  alertId?: string;
  ts?: string;
  editedBy?: string;
  payload: unknown;
}
interface Alert {
  status: string;
  acknowledgedBy?: string;
  resolvedBy?: string;
  assignee?: string;
  actions: string[];
  timeline: {
    kind: string;
    type: string;
    by?: string;
    source?: string;
    targets: { channel: string; state: string }[];
  }[];
}

const notify = async (alertId: string) => {
  const event = await get<{ alert: object }>('/api/fixtures/created-critical');
  const response = await post('/api/notify', { event: { ...event, alert: { ...event.alert, id: alertId } } });
  expect(response.status).toBe(200);
};
const messages = async (alertId: string) =>
  (await get<Slack[]>('/api/outbox')).filter((e) => e.kind === 'slack' && e.alertId === alertId);
const buttons = (payload: unknown) =>
  [...JSON.stringify(payload).matchAll(/"action_id":"(alert\.\w+)"/g)].map((m) => m[1]);

beforeAll(async () => {
  preview = await startPreview({ port: 0, smtpPort: 0, env: { SLACK_SIGNING_SECRET: SECRET } });
  base = preview.url;
});
afterAll(() => preview?.close());

describe('alert actions', () => {
  describe('POST /api/notify', () => {
    it('also posts through the fake Slack Web API, which answers with a ts', async () => {
      await notify('alrt_act_post');
      const list = await messages('alrt_act_post');
      expect(list.map((m) => m.via).sort()).toEqual(['api', 'webhook']);
      expect(list.find((m) => m.via === 'api')!.ts).toMatch(/^\d+\.\d{6}$/);
      const alert = await get<Alert>('/api/alerts/alrt_act_post');
      expect(alert.timeline[0]!.targets.map((t) => [t.channel, t.state]).sort()).toEqual([
        ['email', 'delivered'],
        ['slack', 'delivered'],
        ['slack-api', 'delivered'],
      ]);
    });
  });

  describe('the console under /console', () => {
    const act = async (alertId: string, body: object, origin = base) => {
      const event = await get<{ alert: { organizationId: string } }>('/api/fixtures/created-critical');
      return fetch(`${base}/console/api/alerts/${event.alert.organizationId}/${alertId}/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin },
        body: JSON.stringify(body),
      });
    };

    it('lists what the app sent, each target with its state, and serves its page', async () => {
      await notify('alrt_console_list');
      const list = await get<{
        alerts: { alertId: string; targets: { channel: string; state: string }[] }[];
      }>('/console/api/alerts?q=alrt_console_list');
      expect(list.alerts.map((a) => a.alertId)).toEqual(['alrt_console_list']);
      expect(list.alerts[0]!.targets.map((t) => [t.channel, t.state]).sort()).toEqual([
        ['email', 'delivered'],
        ['slack', 'delivered'],
        ['slack-api', 'delivered'],
      ]);
      const page = await fetch(`${base}/console/`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(
        (await get<{ id: string; actionsEnabled: boolean }>('/console/api/operator')).actionsEnabled,
      ).toBe(true);
    });

    it('shows the subject of each email the app sent on the alert page', async () => {
      const event = await get<{ alert: { organizationId: string; title: string } }>(
        '/api/fixtures/created-critical',
      );
      const alert = { ...event.alert, id: 'alrt_console_subject', title: 'Queue depth over 9000' };
      expect((await post('/api/send', { event: { ...event, alert } })).status).toBe(200);
      const email = await until(
        async () =>
          (await get<{ kind: string; subject?: string; text?: string }[]>('/api/outbox')).find(
            (e) => e.kind === 'email' && e.subject?.includes('Queue depth over 9000'),
          ),
        (e) => e !== undefined,
      );
      const page = await get<{ emailSubjects: string[] }>(
        `/console/api/alerts/${alert.organizationId}/alrt_console_subject`,
      );
      expect(page.emailSubjects).toEqual([email!.subject]);
    });

    it('acknowledges through the signed interactivity path and updates the Web API message with chat.update', async () => {
      await notify('alrt_act_ack');
      const response = await act('alrt_act_ack', { kind: 'acknowledge' });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ ok: true, alert: { alertId: 'alrt_act_ack' } });
      const api = await until(
        async () => (await messages('alrt_act_ack')).find((m) => m.via === 'api')!,
        (m) => m.editedBy === 'chat.update',
      );
      expect(api.editedBy).toBe('chat.update');
      expect(JSON.stringify(api.payload)).toContain('Acknowledged by *console.operator*');
      // No Acknowledge on an acknowledged alert; Resolve and Assign still apply.
      expect(buttons(api.payload)).toEqual(['alert.view', 'alert.resolve', 'alert.assign']);
      // The webhook message has no ts to update: it stays as sent.
      const webhook = (await messages('alrt_act_ack')).find((m) => m.via === 'webhook')!;
      expect(webhook.editedBy).toBeUndefined();
      const alert = await until(
        () => get<Alert>('/api/alerts/alrt_act_ack'),
        (a) => a.timeline.at(-1)!.targets.length > 0,
      );
      expect(alert).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'console.operator' });
      expect(alert.timeline.at(-1)).toMatchObject({
        kind: 'action',
        type: 'acknowledge',
        by: 'console.operator',
        source: 'console',
      });
      expect(alert.timeline.at(-1)!.targets).toEqual([
        expect.objectContaining({ channel: 'slack-api', state: 'delivered' }),
      ]);
      expect(alert.actions).toEqual(['view', 'resolve', 'assign']);
    });

    it('assigns to the named user', async () => {
      await notify('alrt_act_assign');
      expect((await act('alrt_act_assign', { kind: 'assign', assignee: 'bruno' })).status).toBe(200);
      expect(await get<Alert>('/api/alerts/alrt_act_assign')).toMatchObject({
        assignee: 'bruno',
        status: 'open',
      });
    });

    it('refuses an unknown alert, a bad action and a request from another origin', async () => {
      expect((await act('alrt_nobody', { kind: 'acknowledge' })).status).toBe(404);
      await notify('alrt_act_bad');
      expect((await act('alrt_act_bad', { kind: 'delete' })).status).toBe(400);
      expect((await act('alrt_act_bad', { kind: 'resolve' }, 'https://evil.example')).status).toBe(403);
      expect((await get<Alert>('/api/alerts/alrt_act_bad')).status).toBe('open');
    });
  });

  describe('POST /slack/actions', () => {
    const consolePayload = (alertId: string) =>
      `payload=${encodeURIComponent(
        JSON.stringify({
          type: 'block_actions',
          user: { id: 'U0CONSOLE', username: 'console.operator', name: 'console.operator' },
          response_url: 'https://hooks.slack.com/actions/T0PREVIEW/console/none',
          actions: [{ type: 'button', action_id: 'alert.resolve', value: alertId, action_ts: '1' }],
        }),
      )}`;

    it('refuses an unsigned console-shaped action with 401 and a clear error, leaving the alert as it was', async () => {
      await notify('alrt_act_unsigned');
      const response = await post('/slack/actions', consolePayload('alrt_act_unsigned'), {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(response.status).toBe(401);
      expect(await response.json()).toEqual({
        error: { code: 'unauthorized', message: 'Slack signature missing (missing_headers)' },
      });
      expect((await get<Alert>('/api/alerts/alrt_act_unsigned')).status).toBe('open');
    });

    it('accepts the same action signed, and changes the alert as the mounted console does', async () => {
      await notify('alrt_act_signed');
      await notify('alrt_act_route');
      const body = consolePayload('alrt_act_signed');
      expect((await post('/slack/actions', body, slackHeaders(SECRET, body))).status).toBe(200);
      const event = await get<{ alert: { organizationId: string } }>('/api/fixtures/created-critical');
      await fetch(`${base}/console/api/alerts/${event.alert.organizationId}/alrt_act_route/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: base },
        body: JSON.stringify({ kind: 'resolve' }),
      });
      const [signed, route] = await Promise.all([
        get<Alert>('/api/alerts/alrt_act_signed'),
        get<Alert>('/api/alerts/alrt_act_route'),
      ]);
      const shape = (a: Alert) => ({ status: a.status, resolvedBy: a.resolvedBy, actions: a.actions });
      expect(shape(signed)).toEqual({
        status: 'resolved',
        resolvedBy: 'console.operator',
        actions: ['view'],
      });
      expect(shape(route)).toEqual(shape(signed));
    });
  });

  describe('POST /api/slack/click on a message of the fake Slack', () => {
    it('resolves and replaces the pressed webhook message through its response_url', async () => {
      await notify('alrt_act_press');
      const webhook = (await messages('alrt_act_press')).find((m) => m.via === 'webhook')!;
      const response = await post('/api/slack/click', {
        actionId: 'alert.resolve',
        value: 'alrt_act_press',
        messageId: webhook.id,
      });
      expect(response.status).toBe(200);
      const list = await until(
        () => messages('alrt_act_press'),
        (l) => l.every((m) => m.editedBy !== undefined),
      );
      const pressed = list.find((m) => m.id === webhook.id)!;
      expect(pressed.editedBy).toBe('response_url');
      expect(JSON.stringify(pressed.payload)).toContain('Resolved by *preview.designer*');
      // Resolved: only View (the dashboard link) is left.
      expect(buttons(pressed.payload)).toEqual(['alert.view']);
      // The Web API copy changes too, with chat.update.
      expect(list.find((m) => m.via === 'api')!.editedBy).toBe('chat.update');
      const alert = await get<Alert>('/api/alerts/alrt_act_press');
      expect(alert).toMatchObject({ status: 'resolved', resolvedBy: 'preview.designer' });
      expect(alert.timeline.at(-1)).toMatchObject({ type: 'resolve', source: 'slack' });
      expect(
        alert.timeline
          .at(-1)!
          .targets.map((t) => [t.channel, t.state])
          .sort(),
      ).toEqual([
        ['slack', 'delivered'],
        ['slack-api', 'delivered'],
      ]);
    });
  });

  describe('the fake Slack', () => {
    it('answers an unknown response_url with 404 expired_url, and the Web API as Slack documents', async () => {
      const gone = await post('/hooks/respond/no-such-message', { text: 'x', replace_original: true });
      expect([gone.status, await gone.text()]).toEqual([404, 'expired_url']);
      const update = (headers: Record<string, string>, body: object) =>
        post('/slack/api/chat.update', body, headers).then(async (r) => [r.status, await r.json()]);
      expect(await update({}, { channel: 'C0PREVIEW', ts: '1.000001', text: 'x' })).toEqual([
        200,
        { ok: false, error: 'not_authed' },
      ]);
      const auth = { authorization: 'Bearer xoxb-preview-fake-slack' };
      expect(
        await update({ authorization: 'Bearer xoxb-wrong' }, { channel: 'C0PREVIEW', text: 'x' }),
      ).toEqual([200, { ok: false, error: 'invalid_auth' }]);
      expect(await update(auth, { channel: 'C0PREVIEW', ts: '1.000001', text: 'x' })).toEqual([
        200,
        { ok: false, error: 'message_not_found' },
      ]);
      expect(await update(auth, { channel: '#general', ts: '1.000001', text: 'x' })).toEqual([
        200,
        { ok: false, error: 'channel_not_found' },
      ]);
    });
  });
});
