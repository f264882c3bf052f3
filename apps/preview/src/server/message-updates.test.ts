import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPreview, startPreview } from './start-preview.js';

// A tenant config may leave a Web API channel unnamed: core then shows it as its bare id.
const CHANNEL = 'C0UNNAMED';
let preview: RunningPreview;

const get = async <T>(path: string) => (await (await fetch(`${preview.url}${path}`)).json()) as T;
const post = (path: string, body: object) =>
  fetch(`${preview.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

interface Slack {
  kind: string;
  via?: string;
  alertId?: string;
  channel?: string;
  ts?: string;
  editedBy?: string;
  payload: unknown;
}
interface Alert {
  timeline: { kind: string; targets: { channel: string; target: string; state: string }[] }[];
}

const apiMessage = async (alertId: string) =>
  (await get<Slack[]>('/api/outbox')).find(
    (e) => e.kind === 'slack' && e.via === 'api' && e.alertId === alertId,
  );

beforeAll(async () => {
  preview = await startPreview({
    port: 0,
    smtpPort: 0,
    env: { SLACK_SIGNING_SECRET: 'message-updates-secret-3b9d' },
    tenantChannel: { id: CHANNEL },
  });
});
afterAll(() => preview?.close());

describe('Slack message updates after an action', () => {
  describe('on a Web API channel with no name in the tenant config', () => {
    it('finds the posted message by its channel id and changes it with chat.update', async () => {
      const alertId = 'alrt_unnamed_channel';
      const event = await get<{ alert: object }>('/api/fixtures/created-critical');
      const sent = await post('/api/notify', { event: { ...event, alert: { ...event.alert, id: alertId } } });
      expect(sent.status).toBe(200);
      const posted = (await apiMessage(alertId))!;
      expect(posted).toMatchObject({ channel: CHANNEL, ts: expect.stringMatching(/^\d+\.\d{6}$/) });
      // What the record shows for this channel: no name, so no `name (id)`.
      const created = (await get<Alert>(`/api/alerts/${alertId}`)).timeline[0]!;
      expect(created.targets).toContainEqual(
        expect.objectContaining({ channel: 'slack-api', target: CHANNEL, state: 'delivered' }),
      );

      const acted = await fetch(`${preview.url}/console/api/alerts/org_acme/${alertId}/actions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', origin: preview.url },
        body: JSON.stringify({ kind: 'acknowledge' }),
      });
      expect(acted.status).toBe(200);

      // The updates run after the action's answer.
      await expect.poll(() => apiMessage(alertId)).toMatchObject({ editedBy: 'chat.update' });
      expect(JSON.stringify((await apiMessage(alertId))!.payload)).toContain(
        'Acknowledged by *console.operator*',
      );
      await expect
        .poll(async () => (await get<Alert>(`/api/alerts/${alertId}`)).timeline.at(-1))
        .toMatchObject({
          kind: 'action',
          targets: [
            { channel: 'slack-api', target: `chat.update ${CHANNEL} ${posted.ts}`, state: 'delivered' },
          ],
        });
    });
  });
});
