import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockActionsBody, slackHeaders } from '../testing/slack-signing.js';
import { type RunningPreview, startPreview } from './start-preview.js';

const SECRET = 'write-guards-secret-1';
let preview: RunningPreview;

const post = (path: string, body: string, headers: Record<string, string>, method = 'POST') =>
  fetch(`${preview.url}${path}`, { method, headers, body });
const json = { 'content-type': 'application/json' };
const attacker = 'http://attacker.example';
const fixture = async (name: string) =>
  (await (await fetch(`${preview.url}/api/fixtures/${name}`)).json()) as { alert: object };
const outboxSize = async () =>
  ((await (await fetch(`${preview.url}/api/outbox`)).json()) as unknown[]).length;
const alertStatus = async (id: string) => {
  const response = await fetch(`${preview.url}/api/alerts/${id}`);
  return response.status === 404 ? undefined : ((await response.json()) as { status: string }).status;
};

beforeAll(async () => {
  preview = await startPreview({ port: 0, smtpPort: 0, env: { SLACK_SIGNING_SECRET: SECRET } });
});
afterAll(() => preview?.close());

describe('requests that change state', () => {
  it('refuses what a page of another site can send without a preflight: a text/plain or form POST', async () => {
    const event = await fixture('created-critical');
    const body = JSON.stringify({
      event: { ...event, alert: { ...event.alert, id: 'alrt_planted' } },
      to: 'attacker@attacker.example',
    });
    const before = await outboxSize();
    for (const type of [
      'text/plain',
      'application/x-www-form-urlencoded',
      'multipart/form-data; boundary=x',
    ]) {
      for (const path of ['/api/notify', '/api/send']) {
        // Without an Origin (a client that hides it) and with the one the browser sends.
        for (const origin of [{}, { origin: attacker }] as Record<string, string>[]) {
          const response = await post(path, body, { 'content-type': type, ...origin });
          expect([403, 415], `${path} as ${type}`).toContain(response.status);
        }
      }
    }
    expect(await alertStatus('alrt_planted')).toBeUndefined();
    expect(await outboxSize()).toBe(before);
  });

  it('refuses a JSON request whose Origin is another site, and the null origin', async () => {
    const event = await fixture('created-high');
    await post(
      '/api/notify',
      JSON.stringify({ event: { ...event, alert: { ...event.alert, id: 'alrt_cs' } } }),
      json,
    );
    expect(await alertStatus('alrt_cs')).toBe('open');
    for (const origin of [
      attacker,
      `http://localhost.attacker.example:${new URL(preview.url).port}`,
      'null',
    ]) {
      const resolve = await post(
        '/console/api/alerts/org_acme/alrt_cs/actions',
        JSON.stringify({ kind: 'resolve' }),
        {
          ...json,
          origin,
        },
      );
      expect(resolve.status).toBe(403);
      expect(await resolve.json()).toMatchObject({ error: { code: 'origin_not_allowed' } });
      expect((await post('/api/outbox', '', { ...json, origin }, 'DELETE')).status).toBe(403);
    }
    expect(await alertStatus('alrt_cs')).toBe('open');
  });

  it("accepts the app's own page: JSON with its own Origin, or with none", async () => {
    const event = await fixture('created-low');
    const send = (alertId: string, origin: Record<string, string>) =>
      post('/api/notify', JSON.stringify({ event: { ...event, alert: { ...event.alert, id: alertId } } }), {
        'content-type': 'application/json; charset=utf-8',
        ...origin,
      });
    expect((await send('alrt_own_1', { origin: preview.url })).status).toBe(200);
    expect((await send('alrt_own_2', {})).status).toBe(200);
    const resolve = await post(
      '/console/api/alerts/org_acme/alrt_own_1/actions',
      JSON.stringify({ kind: 'resolve' }),
      {
        ...json,
        origin: preview.url,
      },
    );
    expect(resolve.status).toBe(200);
    expect(await alertStatus('alrt_own_1')).toBe('resolved');
    expect((await post('/api/outbox', '', { ...json, origin: preview.url }, 'DELETE')).status).toBe(204);
    // A DELETE without the JSON content type is refused like a POST.
    expect((await post('/api/outbox', '', {}, 'DELETE')).status).toBe(415);
  });

  it("keeps Slack's and the channels' routes working without an Origin", async () => {
    const event = await fixture('created-medium');
    await post(
      '/api/notify',
      JSON.stringify({ event: { ...event, alert: { ...event.alert, id: 'alrt_slack' } } }),
      json,
    );
    const body = blockActionsBody('alert.acknowledge', 'alrt_slack');
    expect((await post('/slack/actions', body, slackHeaders(SECRET, body))).status).toBe(200);
    expect(await alertStatus('alrt_slack')).toBe('acknowledged');
    const hook = await post('/hooks/slack/T1/B1/x', JSON.stringify({ text: 'hi' }), json);
    expect(hook.status).toBe(200);
    const api = await post(
      '/slack/api/chat.postMessage',
      JSON.stringify({ channel: 'C0PREVIEW', text: 'hi' }),
      {
        ...json,
        authorization: 'Bearer xoxb-preview-fake-slack',
      },
    );
    expect(await api.json()).toMatchObject({ ok: true });
    // A page of another site posting to them is still refused.
    expect(
      (await post('/hooks/slack/T1/B1/x', 'hi', { 'content-type': 'text/plain', origin: attacker })).status,
    ).toBe(403);
  });
});
