import { type AlertEventInput, createStaticDirectory, type DeliveryRecord } from '@pytake/notify-core';
import { createSlackApiChannel } from '@pytake/notify-slack';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker } from './delivery-worker.js';
import { createNotificationQueue, type NotificationQueue } from './notification-queue.js';
import { type FakeSlackApi, startFakeSlackApi } from './testing/fake-slack-api.js';
import { ceiling, until } from './testing/fixtures.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
const alert = (status: 'open' | 'acknowledged' | 'resolved' = 'open') => ({
  id: 'alert-1',
  organizationId: 'org-1',
  title: 'Disk full',
  severity: 'high' as const,
  category: 'infra',
  status,
  createdAt: at(0),
});
const created: AlertEventInput = { type: 'alert.created', occurredAt: at(1), alert: alert() };
const escalated: AlertEventInput = {
  type: 'alert.escalated',
  occurredAt: at(2),
  alert: alert(),
  fromLevel: 1,
  toLevel: 2,
};
const resolved: AlertEventInput = { type: 'alert.resolved', occurredAt: at(3), alert: alert('resolved') };

let redis: TestRedis;
let slack: FakeSlackApi;
let queue: NotificationQueue;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  [redis, slack] = await Promise.all([startRedis(), startFakeSlackApi()]);
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
  await redis.client().flushall();
  slack.posts.length = 0;
  slack.edits.length = 0;
});
afterAll(async () => {
  await queue?.close();
  await slack?.close();
  await redis?.stop();
});

function startWorker(records: DeliveryRecord[] = []) {
  const worker = createDeliveryWorker({
    connection: redis.connection,
    directory: createStaticDirectory([
      { organizationId: 'org-1', slack: { channels: [{ id: 'C0ALERTS1' }], threadReplies: true } },
    ]),
    routes: {
      slackApi: {
        channel: createSlackApiChannel({
          token: 'xoxb-test-token',
          baseUrl: slack.apiBase,
          allowedHosts: ['127.0.0.1'],
        }),
        render: (event) => ({ text: `${event.type} ${event.alert.id} ${event.alert.status}` }),
      },
    },
    limits: false,
    onDelivery: (record) => records.push(record),
  });
  open.push(worker);
  return { worker, records };
}

describe("an alert's conversation with a Web API channel", () => {
  it('delivers events enqueued in reverse order in event order, in one thread, and edits the parent on resolve', async () => {
    for (const event of [resolved, escalated, created]) await queue.enqueue(event);
    // Two workers, as two machines would run them: one list of what either delivered.
    const { records } = startWorker();
    startWorker(records);
    expect(await until(() => records.length === 3, ceiling(10_000))).toBe(true);
    const posts = slack.posts;
    expect(posts.map((p) => p.text.split(' ')[0])).toEqual([
      'alert.created',
      'alert.escalated',
      'alert.resolved',
    ]);
    const parent = posts[0]!;
    expect(parent.threadTs).toBeUndefined();
    expect(posts.slice(1).map((p) => p.threadTs)).toEqual([parent.ts, parent.ts]);
    const updates = slack.edits;
    expect(updates).toEqual([
      expect.objectContaining({ ts: parent.ts, text: 'alert.resolved alert-1 resolved' }),
    ]);
    expect(records.every((r) => r.status === 'delivered' && !r.warnings)).toBe(true);
    // What a console lists on the alert's page: each message by channel and ts.
    expect((await queue.alerts.get('org-1', 'alert-1'))?.slackMessages).toEqual(
      posts.map((p) => ({ channel: 'C0ALERTS1', ts: p.ts })),
    );
  });

  it('edits every message it posted for the alert when the service asks', async () => {
    const { records } = startWorker();
    await queue.enqueue(created);
    await queue.enqueue(escalated);
    expect(await until(() => records.length === 2, ceiling(10_000))).toBe(true);
    const posted = slack.posts.map((c) => c.ts);
    await queue.updateAlertMessages(alert('acknowledged'));
    expect(await until(() => slack.edits.length === 2, ceiling(10_000))).toBe(true);
    const updates = slack.edits;
    expect(updates.map((u) => [u.ts, u.text])).toEqual([
      [posted[0], 'alert.created alert-1 acknowledged'],
      [posted[1], 'alert.escalated alert-1 acknowledged'],
    ]);
  });

  it('delivers an earlier event enqueued after a later one was sent, in the thread, saying it is late', async () => {
    const { records } = startWorker();
    await queue.enqueue(created);
    await queue.enqueue(resolved);
    expect(await until(() => records.length === 2, ceiling(10_000))).toBe(true);
    await queue.enqueue(escalated);
    expect(await until(() => records.length === 3, ceiling(10_000))).toBe(true);
    const posts = slack.posts;
    expect(posts[2]).toMatchObject({
      threadTs: posts[0]!.ts,
      text: expect.stringMatching(/^alert.escalated/),
    });
    expect(records[2]!.warnings).toEqual([expect.objectContaining({ code: 'late' })]);
  });
});
