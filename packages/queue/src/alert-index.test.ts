import {
  type AlertEventInput,
  createStaticDirectory,
  type DeliveryRecord,
  ValidationError,
} from '@pytake/notify-core';
import { createEmailChannel } from '@pytake/notify-email';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker } from './delivery-worker.js';
import { createNotificationQueue, type NotificationQueue } from './notification-queue.js';
import { alertEvent, ceiling, render, until, webhookPath } from './testing/fixtures.js';
import { createHttpChannel } from './testing/http-channel.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';
import { startSmtpReceiver } from './testing/smtp-receiver.js';
import { startReceiver } from './testing/webhook-receiver.js';

// The index of recent alerts that workers keep for consoles: per organization, newest activity
// first, paged exactly, each alert with its events and their targets' states.

let redis: TestRedis;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let queue: NotificationQueue;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  [redis, receiver] = await Promise.all([startRedis(), startReceiver()]);
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  // The last opened first: a worker (and its channels) before the servers they talk to.
  for (const w of open.splice(0).reverse()) await w.close();
  await redis.client().flushall();
});
afterAll(async () => {
  await queue?.close();
  await receiver?.close();
  await redis?.stop();
});

function startWorker(records: DeliveryRecord[]) {
  const worker = createDeliveryWorker({
    connection: redis.connection,
    directory: createStaticDirectory(
      ['org-1', 'org-2'].map((organizationId, i) => ({
        organizationId,
        slack: {
          webhooks: [{ url: `${receiver.base}${webhookPath(i)}`, name: 'ops' }],
          storm: false as const,
        },
      })),
    ),
    routes: { slack: { channel: createHttpChannel(), render } },
    limits: false,
    onDelivery: (record) => records.push(record),
  });
  open.push(worker);
  return worker;
}

describe('queue.alerts', () => {
  it('pages through every alert of an organization newest first, none twice, none missed', async () => {
    const records: DeliveryRecord[] = [];
    startWorker(records);
    // Alerts of two organizations, several with the same activity time (ties in the index).
    const events: AlertEventInput[] = [];
    for (let n = 0; n < 23; n++) {
      // Four instants for org-2's 23 alerts: up to six alerts share a score.
      const tied = {
        ...alertEvent(100 + n, 'org-2'),
        occurredAt: new Date(Date.UTC(2026, 0, 1, 0, 0, n % 4)).toISOString(),
      };
      events.push(alertEvent(n % 7, 'org-1'), tied as AlertEventInput);
    }
    const unique = new Map(events.map((e) => [`${e.alert.organizationId}/${e.alert.id}`, e]));
    for (const event of unique.values()) await queue.enqueue(event);
    expect(await until(() => records.length === unique.size, ceiling(10_000))).toBe(true);

    const seen: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 10; page++) {
      const result = await queue.alerts.list({ organizationIds: ['org-2'], limit: 5, cursor });
      seen.push(...result.alerts.map((a) => a.alertId));
      cursor = result.next;
      if (!cursor) break;
    }
    expect(seen).toHaveLength(23);
    expect(new Set(seen).size).toBe(23);
    // The latest activity first: the alerts of the last instant (n % 4 === 3) lead.
    expect(seen.slice(0, 5).every((id) => Number(id.slice('alert-'.length)) % 4 === 3)).toBe(true);

    const all = await queue.alerts.list({ limit: 100 });
    expect(all.alerts).toHaveLength(30);
    // Each with what became of its latest event at its target.
    expect(all.alerts.every((a) => a.targets.length === 1 && a.targets[0]!.state === 'delivered')).toBe(true);
    expect(all.next).toBeUndefined();
    const high = await queue.alerts.list({
      organizationIds: ['org-1'],
      filter: (a) => a.alertId === 'alert-3',
    });
    expect(high.alerts.map((a) => a.alertId)).toEqual(['alert-3']);
  });

  it("keeps an alert's summary from its latest event and each event's targets", async () => {
    const records: DeliveryRecord[] = [];
    startWorker(records);
    const created = alertEvent(1, 'org-1');
    const resolved = {
      ...created,
      type: 'alert.resolved',
      occurredAt: '2026-01-01T00:10:00Z',
      alert: { ...created.alert, status: 'resolved', title: 'Queue depth back to normal' },
    } as AlertEventInput;
    await queue.enqueue(resolved);
    await queue.enqueue(created);
    expect(await until(() => records.length === 2, ceiling(10_000))).toBe(true);
    const alert = await queue.alerts.get('org-1', 'alert-1');
    expect(alert).toMatchObject({
      title: 'Queue depth back to normal',
      status: 'resolved',
      lastEvent: 'alert.resolved',
    });
    expect(alert?.events.map((e) => e.type)).toEqual(['alert.created', 'alert.resolved']);
    expect(alert?.events[0]?.targets.map((t) => t.state)).toEqual(['delivered']);
    // Targets as records show them: no webhook URL.
    expect(JSON.stringify(alert)).not.toContain('s3cr3t');
    expect(await queue.alerts.get('org-2', 'alert-1')).toBeUndefined();
  });

  it("keeps the subjects of an alert's emails, each once, in the order first sent", async () => {
    const smtp = await startSmtpReceiver();
    open.push(smtp);
    const records: DeliveryRecord[] = [];
    const channel = createEmailChannel({
      host: '127.0.0.1',
      port: smtp.port,
      useTls: false,
      fromEmail: 'alerts@pytake.test',
      timeoutSeconds: 60,
    });
    const worker = createDeliveryWorker({
      connection: redis.connection,
      directory: createStaticDirectory([{ organizationId: 'org-1', email: { to: ['oncall@example.com'] } }]),
      routes: {
        email: {
          render: (event) => ({ subject: `[${event.type}] ${event.alert.title}`, html: '<p>alert</p>' }),
          channel,
        },
      },
      limits: false,
      onDelivery: (record) => records.push(record),
    });
    // Closed before the server, which waits for the channel's pooled connection to end.
    open.push(worker, { close: async () => channel.close() });
    const created = alertEvent(1, 'org-1');
    const later = { ...created, occurredAt: '2026-01-01T00:05:00Z' } as AlertEventInput;
    const resolved = {
      ...created,
      type: 'alert.resolved',
      occurredAt: '2026-01-01T00:10:00Z',
      alert: { ...created.alert, status: 'resolved' },
    } as AlertEventInput;
    // The same subject twice (a created event told again) is kept once.
    for (const [n, event] of [created, later, resolved].entries()) {
      await queue.enqueue(event);
      // The subject is written with the send's record, just after the server's answer.
      const recorded = async () => {
        const events = (await queue.alerts.get('org-1', 'alert-1'))?.events ?? [];
        return (
          events.length === n + 1 && events.every((e) => e.targets.every((t) => t.state === 'delivered'))
        );
      };
      expect(await until(recorded, ceiling(10_000))).toBe(true);
    }
    expect(smtp.received).toHaveLength(3);
    const alert = await queue.alerts.get('org-1', 'alert-1');
    expect(smtp.received[1]?.subject).toBe(smtp.received[0]?.subject);
    expect(alert?.emailSubjects).toEqual([smtp.received[0]?.subject, smtp.received[2]?.subject]);
    // Subjects, never the recipient's address.
    expect(JSON.stringify(alert)).not.toContain('oncall@example.com');
  });

  it("notes operators' actions: the page lists them, the list shows the status until the next event", async () => {
    const records: DeliveryRecord[] = [];
    startWorker(records);
    await queue.enqueue(alertEvent(1, 'org-1'));
    expect(await until(() => records.length === 1, ceiling(10_000))).toBe(true);
    const at = '2026-01-01T00:01:00.000Z';
    expect(await queue.alerts.noteAction('org-1', 'alert-1', { kind: 'acknowledge', by: 'Ana', at })).toBe(
      true,
    );
    expect(
      await queue.alerts.noteAction('org-1', 'alert-1', { kind: 'assign', by: 'Ana', at, assignee: 'Bruno' }),
    ).toBe(true);
    const alert = await queue.alerts.get('org-1', 'alert-1');
    expect(alert?.status).toBe('acknowledged');
    expect(alert?.actions).toEqual([
      { kind: 'acknowledge', by: 'Ana', at },
      { kind: 'assign', by: 'Ana', at, assignee: 'Bruno' },
    ]);
    const [listed] = (await queue.alerts.list({ organizationIds: ['org-1'] })).alerts;
    expect(listed?.status).toBe('acknowledged');
    // Resolved stays resolved when an acknowledge comes late.
    await queue.alerts.noteAction('org-1', 'alert-1', { kind: 'resolve', by: 'Ana', at });
    await queue.alerts.noteAction('org-1', 'alert-1', { kind: 'acknowledge', by: 'Caio', at });
    expect((await queue.alerts.get('org-1', 'alert-1'))?.status).toBe('resolved');
    // An alert the index does not keep gets no key.
    expect(await queue.alerts.noteAction('org-1', 'nope', { kind: 'resolve', by: 'Ana', at })).toBe(false);
    expect(await queue.alerts.get('org-1', 'nope')).toBeUndefined();
    // Bounded: the latest actions only.
    for (let n = 0; n < 60; n++)
      await queue.alerts.noteAction('org-1', 'alert-1', { kind: 'assign', by: 'Ana', at, assignee: `n${n}` });
    const bounded = await queue.alerts.get('org-1', 'alert-1');
    expect(bounded?.actions).toHaveLength(50);
    expect(bounded?.actions.at(-1)?.assignee).toBe('n59');
    await expect(
      queue.alerts.noteAction('org-1', 'alert-1', { kind: 'close' as 'resolve', by: '', at: 'soon' }),
    ).rejects.toThrow(ValidationError);
    await expect(
      queue.alerts.noteAction('org-1', 'alert-1', { kind: 'close' as 'resolve', by: '', at: 'soon' }),
    ).rejects.toThrow(
      /kind: expected one of acknowledge, resolve, assign[\s\S]*by:[\s\S]*at: expected an ISO time/,
    );
  });

  it('reads the records stream after a stream id, in the order written', async () => {
    const records: DeliveryRecord[] = [];
    startWorker(records);
    for (let n = 0; n < 12; n++) await queue.enqueue(alertEvent(n, 'org-1'));
    expect(await until(() => records.length === 12, ceiling(10_000))).toBe(true);
    const first = await queue.records.after(undefined, 5);
    const rest = await queue.records.after(first.at(-1)!.id, 100);
    expect([...first, ...rest].map((r) => r.record.alertId).sort()).toEqual(
      records.map((r) => r.alertId).sort(),
    );
    expect(first).toHaveLength(5);
    expect(await queue.records.bounds()).toEqual({ oldest: first[0]!.id, newest: rest.at(-1)!.id });
    expect(await queue.records.after(rest.at(-1)!.id)).toEqual([]);
  });
});
