import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedis } from '../testing/redis-server.js';
import { until } from '../testing/until.js';
import { type RunningPreview, startPreview } from './start-preview.js';

let redis: Awaited<ReturnType<typeof startRedis>>;
let preview: RunningPreview;

const get = async <T>(path: string) => (await (await fetch(`${preview.url}${path}`)).json()) as T;

beforeAll(async () => {
  redis = await startRedis();
  preview = await startPreview({
    port: 0,
    smtpPort: 0,
    env: { SLACK_SIGNING_SECRET: 'queue-secret-1', REDIS_URL: redis.path },
  });
});
afterAll(async () => {
  await preview?.close();
  await redis?.stop();
});

interface Alert {
  timeline: { targets: { channel: string; state: string; attempts: number; errorCode?: string }[] }[];
}

describe('the app with REDIS_URL', () => {
  it('delivers POST /api/notify through the queue and its in-process worker, into the console', async () => {
    const event = await get<{ alert: object }>('/api/fixtures/created-high');
    const response = await fetch(`${preview.url}/api/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: { ...event, alert: { ...event.alert, id: 'alrt_queued_1' } } }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ queued: true, id: expect.stringMatching(/^evt-/) });
    const alert = await until(
      () => get<Alert>('/api/alerts/alrt_queued_1'),
      (a) => a.timeline[0]!.targets.filter((t) => t.state === 'delivered').length === 3,
    );
    expect(alert.timeline[0]!.targets.map((t) => [t.channel, t.state]).sort()).toEqual([
      ['email', 'delivered'],
      ['slack', 'delivered'],
      ['slack-api', 'delivered'],
    ]);
    const panel = await get<{ enabled: boolean; counts: Record<string, number>; deadLetters: unknown[] }>(
      '/api/queue',
    );
    expect(panel).toMatchObject({ enabled: true, deadLetters: [] });
  });

  it('shows the queued alert in the console under /console, read from Redis, and acts on it', async () => {
    interface Targets {
      targets: { channel: string; state: string }[];
    }
    const event = await get<{ alert: object }>('/api/fixtures/created-high');
    const sent = await fetch(`${preview.url}/api/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: { ...event, alert: { ...event.alert, id: 'alrt_queued_console' } } }),
    });
    expect(sent.status).toBe(200);
    // The list holds each alert's summary from Redis's index; its page, every target's state.
    const listed = await until(
      () => get<{ alerts: { alertId: string }[] }>('/console/api/alerts?q=alrt_queued_console'),
      (page) => page.alerts.length > 0,
    );
    expect(listed.alerts.map((a) => a.alertId)).toEqual(['alrt_queued_console']);
    const page = await until(
      () => get<Targets>('/console/api/alerts/org_acme/alrt_queued_console'),
      (alert) => alert.targets.filter((t) => t.state === 'delivered').length === 3,
    );
    expect(page.targets.map((t) => [t.channel, t.state]).sort()).toEqual([
      ['email', 'delivered'],
      ['slack', 'delivered'],
      ['slack-api', 'delivered'],
    ]);
    const acted = await fetch(`${preview.url}/console/api/alerts/org_acme/alrt_queued_console/actions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: preview.url },
      body: JSON.stringify({ kind: 'resolve' }),
    });
    expect(acted.status).toBe(200);
    expect(
      await get<{ status: string; resolvedBy?: string }>('/api/alerts/alrt_queued_console'),
    ).toMatchObject({
      status: 'resolved',
      resolvedBy: 'console.operator',
    });
  });

  it('answers a retry of an unknown dead letter with 404', async () => {
    const response = await fetch(`${preview.url}/api/queue/dead-letters/no-such-job/retry`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    expect(response.status).toBe(404);
  });
});

describe('a button press in queue mode', () => {
  interface Message {
    id: string;
    kind: string;
    via?: string;
    alertId?: string;
    channel?: string;
    ts?: string;
    editedBy?: string;
    payload: unknown;
  }
  interface Entry {
    kind: string;
    type: string;
    targets: { channel: string; target: string; state: string }[];
  }
  const messages = async (alertId: string) =>
    (await get<Message[]>('/api/outbox')).filter((m) => m.kind === 'slack' && m.alertId === alertId);

  it("has the worker edit the alert's Web API messages with chat.update, asked through the queue", async () => {
    const alertId = 'alrt_queued_press';
    const event = await get<{ alert: object }>('/api/fixtures/created-critical');
    await fetch(`${preview.url}/api/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: { ...event, alert: { ...event.alert, id: alertId } } }),
    });
    await until(
      () => get<Alert>(`/api/alerts/${alertId}`),
      (a) => a.timeline[0]!.targets.filter((t) => t.state === 'delivered').length === 3,
    );
    const sent = await messages(alertId);
    const webhook = sent.find((m) => m.via === 'webhook')!;
    const api = sent.find((m) => m.via === 'api')!;
    // The ts the worker recorded for its post: the one the queue keeps in Redis for later edits.
    const records = await get<{ alertId: string; channel: string; providerId?: string }[]>('/api/deliveries');
    const posted = records.find((r) => r.alertId === alertId && r.channel === 'slack-api')!;
    expect(posted.providerId).toBe(api.ts);

    const press = await fetch(`${preview.url}/api/slack/click`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ actionId: 'alert.acknowledge', value: alertId, messageId: webhook.id }),
    });
    expect(press.status).toBe(200);

    const edited = await until(
      () => messages(alertId),
      (list) => list.every((m) => m.editedBy !== undefined),
    );
    // The pressed webhook message is replaced through its response_url, as Slack allows.
    expect(edited.find((m) => m.id === webhook.id)).toMatchObject({ editedBy: 'response_url' });
    const update = edited.find((m) => m.id === api.id)!;
    expect(update).toMatchObject({ editedBy: 'chat.update', channel: api.channel, ts: posted.providerId });
    const text = JSON.stringify(update.payload);
    expect(text).toContain('Acknowledged by *preview.designer*');
    expect(text).not.toContain('"action_id":"alert.acknowledge"');

    // The app asked the queue and edited nothing itself: every chat.update the app makes is a
    // target of the action's entry, and there is none.
    const action = (await get<{ timeline: Entry[] }>(`/api/alerts/${alertId}`)).timeline.at(-1)!;
    expect(action).toMatchObject({ kind: 'action', type: 'acknowledge' });
    expect(action.targets.map((t) => [t.channel, t.target.replace(/\d+/g, 'N'), t.state]).sort()).toEqual([
      ['slack', expect.stringContaining('(response_url)'), 'delivered'],
      ['slack-api', 'updateAlertMessages (job N)', 'queued'],
    ]);
  });
});

describe('dead letters', () => {
  const slackApi = (method: string, channel = 'C0PREVIEW') =>
    fetch(`${preview.url}/slack/api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer xoxb-preview-fake-slack' },
      body: JSON.stringify({ channel }),
    }).then((r) => r.json());

  it('lists a delivery that failed for good with its last error, and retries it from there', async () => {
    // Slack refuses posts to an archived channel with is_archived: a permanent failure.
    expect(await slackApi('conversations.archive')).toEqual({ ok: true });
    const event = await get<{ alert: object }>('/api/fixtures/created-medium');
    await fetch(`${preview.url}/api/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ event: { ...event, alert: { ...event.alert, id: 'alrt_queued_dead' } } }),
    });
    const apiTarget = (a: Alert) => a.timeline[0]!.targets.find((t) => t.channel === 'slack-api');
    const dead = await until(
      () => get<Alert>('/api/alerts/alrt_queued_dead'),
      (a) => apiTarget(a)?.state === 'dead',
    );
    expect(apiTarget(dead)).toMatchObject({ state: 'dead', errorCode: 'permanent' });
    const panel = await until(
      () =>
        get<{
          counts: Record<string, number>;
          deadLetters: { id: string; alertId: string; error: { message: string } }[];
        }>('/api/queue'),
      (p) => p.deadLetters.some((d) => d.alertId === 'alrt_queued_dead'),
    );
    const letter = panel.deadLetters.find((d) => d.alertId === 'alrt_queued_dead')!;
    expect(letter.error.message).toContain('is_archived');
    expect(panel.counts.dead).toBeGreaterThanOrEqual(1);

    expect(await slackApi('conversations.unarchive')).toEqual({ ok: true });
    const retry = await fetch(
      `${preview.url}/api/queue/dead-letters/${encodeURIComponent(letter.id)}/retry`,
      { method: 'POST', headers: { 'content-type': 'application/json' } },
    );
    expect(retry.status).toBe(200);
    const delivered = await until(
      () => get<Alert>('/api/alerts/alrt_queued_dead'),
      (a) => apiTarget(a)?.state === 'delivered',
    );
    expect(apiTarget(delivered)?.state).toBe('delivered');
    expect((await get<{ deadLetters: { alertId: string }[] }>('/api/queue')).deadLetters).toEqual([]);
  });
});

// Last: the storm it starts on the preview organization's targets would fold the events of the tests after it.
describe('a storm through the queue', () => {
  it('folds a burst through the queue into digests, and reports each folded target delivered in one', async () => {
    const response = await fetch(`${preview.url}/api/notify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ digest: { count: 12 } }),
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ queued: true, burst: 12, summary: { queued: 12 } });
    interface Record {
      status: string;
      channel: string;
      digestId?: string;
    }
    // The worker folds what passes the threshold, then sends each target's digest when its interval ends.
    const records = await until(
      () => get<Record[]>('/api/deliveries'),
      (list) => {
        const folded = list.filter((r) => r.status === 'digested');
        const sent = list.filter((r) => r.status === 'delivered' && r.digestId);
        return folded.length > 0 && sent.length >= folded.length;
      },
    );
    const folded = records.filter((r) => r.status === 'digested');
    expect(folded.length).toBeGreaterThan(0);
    for (const r of folded)
      expect(records).toContainEqual(
        expect.objectContaining({ status: 'delivered', channel: r.channel, digestId: r.digestId }),
      );
    const outbox =
      await get<{ kind: string; alertId?: string; payload?: { text?: string } }[]>('/api/outbox');
    expect(outbox.some((e) => e.kind === 'slack' && /alerts? in Acme Corp/.test(e.payload?.text ?? ''))).toBe(
      true,
    );
  });
});
