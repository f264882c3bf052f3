import {
  createStaticDirectory,
  type DeliveryRecord,
  NotifyError,
  type TenantConfig,
  ValidationError,
} from '@pytake/notify-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDeliveryWorker, type DeliveryWorker } from './delivery-worker.js';
import { QueueUnavailableError } from './errors/queue-unavailable-error.js';
import { createNotificationQueue, type NotificationQueue } from './notification-queue.js';
import { alertEvent, ceiling, render, tenant, until, webhookPath } from './testing/fixtures.js';
import { createHttpChannel } from './testing/http-channel.js';
import { startRedis, type TestRedis } from './testing/redis-server.js';
import { type Receiver, startReceiver } from './testing/webhook-receiver.js';

let redis: TestRedis;
let receiver: Receiver;
let queue: NotificationQueue;
const open: { close(): Promise<void> }[] = [];

beforeAll(async () => {
  redis = await startRedis();
  receiver = await startReceiver({ failWith: new Map([[webhookPath(9), 400]]) });
  queue = createNotificationQueue({ connection: redis.connection });
});
afterEach(async () => {
  for (const w of open.splice(0)) await w.close();
  await redis.client().flushall();
  receiver.received.length = 0;
});
afterAll(async () => {
  await queue?.close();
  await receiver?.close();
  await redis?.stop();
});

const startWorker = (
  directory = createStaticDirectory([tenant(receiver.base, 2)]),
  records: DeliveryRecord[] = [],
) => {
  const worker: DeliveryWorker = createDeliveryWorker({
    connection: redis.connection,
    directory,
    routes: { slack: { channel: createHttpChannel(), render } },
    backoff: { baseDelayMs: 20, maxDelayMs: 100 },
    deliveryAttempts: 3,
    limits: { slack: false },
    onDelivery: (r) => records.push(r),
  });
  open.push(worker);
  return { worker, records };
};

describe('createNotificationQueue', () => {
  describe('enqueue()', () => {
    it('rejects a malformed event with the same ValidationError as notify()', async () => {
      await expect(queue.enqueue({ ...alertEvent(1), type: 'alert.nope' } as never)).rejects.toBeInstanceOf(
        ValidationError,
      );
    });

    it('returns a job id that follows BullMQ rules, the same for the same event', async () => {
      const [a, b] = [await queue.enqueue(alertEvent(1)), await queue.enqueue(alertEvent(1))];
      expect(a.id).toMatch(/^evt-[0-9a-f]{32}$/);
      expect(b.id).toBe(a.id);
      expect((await queue.enqueue(alertEvent(2))).id).not.toBe(a.id);
      expect(await queue.status(a.id)).toEqual({ id: a.id, state: 'waiting', targets: [] });
    });

    it('fails fast with QueueUnavailableError when Redis is not there', async () => {
      const down = createNotificationQueue({
        connection: { path: '/nonexistent/redis.sock' },
        connectTimeoutMs: 300,
      });
      const started = Date.now();
      const error = await down.enqueue(alertEvent(1)).catch((e) => e);
      await down.close();
      expect(error).toBeInstanceOf(QueueUnavailableError);
      expect(error).toMatchObject({ code: 'transient', retryable: true });
      expect(Date.now() - started).toBeLessThan(10_000);
    });
  });
});

describe('createDeliveryWorker', () => {
  it('delivers every target once, and any process can read the status', async () => {
    const { records } = startWorker();
    const ids = [];
    for (let n = 1; n <= 3; n++) ids.push((await queue.enqueue(alertEvent(n))).id);
    expect(await until(() => receiver.accepted().length >= 6, 20_000)).toBe(true);
    expect(await until(() => records.filter((r) => r.status === 'delivered').length === 6, 10_000)).toBe(
      true,
    );
    expect(new Set(receiver.accepted().map((r) => r.key)).size).toBe(6);

    const status = await queue.status(ids[0]!);
    expect(status?.state).toBe('planned');
    // The email target is planned too: it waits for a worker with an email route.
    expect(status?.targets.map((t) => t.state).sort()).toEqual(['delivered', 'delivered', 'waiting']);
    expect(status?.targets.find((t) => t.route === 'email')).toMatchObject({
      target: 'o…@acme-secret.example',
    });
    expect(await queue.status(alertEvent(1))).toEqual(status);
    expect(await queue.status('evt-unknown')).toBeUndefined();
    const stream = await redis.client().xrange('{pytake-notify}:records', '-', '+');
    expect(stream).toHaveLength(6);
  });

  it('plans every target whichever worker plans: workers with different routes deliver all of them', async () => {
    const emails: string[] = [];
    const email = {
      kind: 'email',
      async send(delivery: { threadKey: string }) {
        emails.push(delivery.threadKey);
        return { attempts: 1, durationMs: 0 };
      },
    };
    const records: DeliveryRecord[] = [];
    startWorker(undefined, records);
    const mailer = createDeliveryWorker({
      connection: redis.connection,
      directory: createStaticDirectory([tenant(receiver.base, 2)]),
      routes: { email: { channel: email, render: () => ({ subject: 's', html: 'h' }) } },
      onDelivery: (r) => records.push(r),
    });
    open.push(mailer);
    for (let n = 1; n <= 20; n++) await queue.enqueue(alertEvent(n));
    expect(await until(() => records.filter((r) => r.status === 'delivered').length === 60, 30_000)).toBe(
      true,
    );
    expect(records.filter((r) => r.status === 'skipped')).toEqual([]);
    expect(emails.sort()).toEqual(Array.from({ length: 20 }, (_, i) => `alert-${i + 1}`).sort());
  });

  it('reports deliveries of a kind that no running worker takes, through onError and in status()', async () => {
    const errors: Error[] = [];
    const worker = createDeliveryWorker({
      connection: redis.connection,
      directory: createStaticDirectory([tenant(receiver.base, 1)]),
      routes: { slack: { channel: createHttpChannel(), render } },
      limits: false,
      unservedAfterMs: 200,
      onError: (e) => errors.push(e),
    });
    open.push(worker);
    const { id } = await queue.enqueue(alertEvent(1));
    // (This suite's Redis keeps nothing on disk, which the worker also reports at start-up.)
    const unserved = () => errors.filter((e) => e.message.startsWith('no running worker'));
    expect(await until(() => unserved().length > 0, 10_000)).toBe(true);
    expect(unserved()[0]).toMatchObject({ code: 'config' });
    expect(unserved()[0]!.message).toMatch(/^no running worker delivers email: start one with routes\.email/);
    expect(
      await until(
        async () => (await queue.status(id))?.targets.find((t) => t.route === 'email')?.error !== undefined,
        10_000,
      ),
    ).toBe(true);
    const email = (await queue.status(id))!.targets.find((t) => t.route === 'email')!;
    expect(email).toMatchObject({ state: 'waiting', error: { code: 'config' } });
    expect(JSON.stringify(email)).not.toContain('oncall.person');
  });

  it('takes limits: false as no shared limits, and refuses a limits option of another shape', async () => {
    const { records } = { records: [] as DeliveryRecord[] };
    const worker = createDeliveryWorker({
      connection: redis.connection,
      directory: createStaticDirectory([tenant(receiver.base, 1)]),
      routes: { slack: { channel: createHttpChannel(), render } },
      limits: false,
      onDelivery: (r) => records.push(r),
    });
    open.push(worker);
    // With the default limit (burst 5 per webhook) the sixth and later would wait about a second each.
    for (let n = 1; n <= 12; n++) await queue.enqueue(alertEvent(n));
    expect(await until(() => records.filter((r) => r.status === 'delivered').length === 12, 20_000)).toBe(
      true,
    );
    expect(await redis.client().keys('{pytake-notify}:rl:*')).toEqual([]);
    const bad = (limits: unknown) => () =>
      createDeliveryWorker({
        connection: redis.connection,
        directory: createStaticDirectory([]),
        routes: { slack: { channel: createHttpChannel(), render } },
        limits: limits as never,
      });
    expect(bad(true)).toThrow(
      /^limits must be false \(no shared limits\) or per kind, e\.g\. \{ slack: \{ perSecond: 1, burst: 5 \}, email: false \}, got true$/,
    );
    expect(bad({ webhook: false })).toThrow(
      'limits.webhook is not a route kind; expected email, slack, slackApi',
    );
  });

  it('refuses a count that is not a whole number', () => {
    const make = (options: object) => () =>
      createDeliveryWorker({
        connection: redis.connection,
        directory: createStaticDirectory([]),
        routes: { slack: { channel: createHttpChannel(), render } },
        ...options,
      });
    expect(make({ concurrency: 2.5 })).toThrow('concurrency must be an integer of at least 1, got 2.5');
    expect(make({ deliveryAttempts: 2.5 })).toThrow(
      'deliveryAttempts must be an integer of at least 1, got 2.5',
    );
    expect(() => createNotificationQueue({ connection: redis.connection, eventAttempts: 2.5 })).toThrow(
      'eventAttempts must be an integer of at least 1, got 2.5',
    );
  });

  it('records a target that left the directory since planning as skipped, not_configured', async () => {
    let config: TenantConfig | undefined;
    const base = createStaticDirectory([tenant(receiver.base, 1)]);
    // The directory answers with the webhook for the event job, then without it.
    let calls = 0;
    const directory = {
      async get(id: string) {
        calls++;
        config ??= await base.get(id);
        // Another webhook took its place: the planned one is gone.
        const moved = [{ url: `${receiver.base}/services/T0/B0/replaced` }];
        return calls === 1 ? config : { ...config!, slack: { ...config!.slack!, webhooks: moved } };
      },
    };
    const { records } = startWorker(directory);
    await queue.enqueue(alertEvent(1));
    expect(await until(() => records.some((r) => r.channel === 'slack'), 60_000)).toBe(true);
    expect(records.find((r) => r.channel === 'slack')).toMatchObject({
      status: 'skipped',
      reason: 'not_configured',
    });
    expect(receiver.received).toHaveLength(0);
  });

  it('fails every route of an event whose directory row is invalid with config, sending nothing', async () => {
    // No webhook and no channel: not a valid tenant config.
    const directory = { get: async () => ({ organizationId: 'org-1', slack: { webhooks: [] } }) as never };
    const { records } = startWorker(directory);
    await queue.enqueue(alertEvent(1));
    expect(await until(() => records.some((r) => r.channel === 'slack'), 60_000)).toBe(true);
    expect(records.find((r) => r.channel === 'slack')).toMatchObject({
      status: 'failed',
      target: '-',
      error: { code: 'config' },
    });
    expect(receiver.received).toHaveLength(0);
  });

  it('puts a delivery whose directory row became invalid in the dead letters with config', async () => {
    let config: TenantConfig | undefined;
    const base = createStaticDirectory([tenant(receiver.base, 1)]);
    let calls = 0;
    const directory = {
      async get(id: string) {
        calls++;
        config ??= await base.get(id);
        // No webhook and no channel left: not a valid tenant config any more.
        return calls === 1
          ? config
          : ({ ...config!, slack: { ...config!.slack!, webhooks: [] } } as TenantConfig);
      },
    };
    const { records } = startWorker(directory);
    await queue.enqueue(alertEvent(1));
    expect(await until(() => records.some((r) => r.channel === 'slack'), 60_000)).toBe(true);
    expect(records.find((r) => r.channel === 'slack')).toMatchObject({
      status: 'failed',
      error: { code: 'config' },
    });
    expect(receiver.received).toHaveLength(0);
  });

  it('puts a permanent failure in the dead letters at once, with its error, and retries it', async () => {
    const config = createStaticDirectory([
      {
        organizationId: 'org-1',
        slack: { webhooks: [{ url: `${receiver.base}${webhookPath(9)}` }] },
      },
    ]);
    const { records } = startWorker(config);
    const { id } = await queue.enqueue(alertEvent(1));
    expect(await until(async () => (await queue.deadLetters.list()).length === 1, 20_000)).toBe(true);
    const [letter] = await queue.deadLetters.list();
    expect(letter).toMatchObject({
      queue: 'slack',
      eventId: id,
      organizationId: 'org-1',
      alertId: 'alert-1',
      attempts: 1,
    });
    expect(letter!.error).toMatchObject({ code: 'permanent' });
    // The channel's message quoted the webhook URL; the stored error does not.
    expect(letter!.error.message).toContain('webhook answered 400');
    expect(letter!.error.message).not.toContain('s3cr3t');
    expect(receiver.received).toHaveLength(1);
    expect((await queue.status(id))?.targets.find((t) => t.route === 'slack')?.state).toBe('dead');
    expect(records.find((r) => r.channel === 'slack')).toMatchObject({
      status: 'failed',
      error: { code: 'permanent' },
    });

    expect(await queue.deadLetters.retry(letter!.id)).toBe(true);
    expect(await until(() => receiver.received.length === 2, 20_000)).toBe(true);
    expect(await until(async () => (await queue.deadLetters.list()).length === 1, 20_000)).toBe(true);
    expect(await queue.deadLetters.retryAll()).toBe(1);
    expect(await until(() => receiver.received.length === 3, 20_000)).toBe(true);
    expect(await queue.deadLetters.retry('dlv-nope')).toBe(false);
  });

  it('puts an event whose lookup kept failing back to waiting in status() when its dead letter is retried', async () => {
    const once = createNotificationQueue({ connection: redis.connection, eventAttempts: 1 });
    open.push(once);
    let down = true;
    const base = createStaticDirectory([tenant(receiver.base, 1)]);
    const directory = {
      async get(id: string) {
        if (down) throw new Error('database unavailable');
        return base.get(id);
      },
    };
    const { records } = startWorker(directory);
    const { id } = await once.enqueue(alertEvent(1));
    expect(await until(async () => (await once.deadLetters.list()).some((l) => l.id === id), 20_000)).toBe(
      true,
    );
    expect((await once.status(id))?.targets.map((t) => [t.target, t.state])).toEqual([['-', 'dead']]);

    down = false;
    expect(await once.deadLetters.retry(id)).toBe(true);
    // The organization-wide row is no longer dead: the event is planned again, and delivered.
    expect((await once.status(id))?.targets.some((t) => t.state === 'dead')).toBe(false);
    expect(await until(() => records.some((r) => r.status === 'delivered'), 20_000)).toBe(true);
    expect(
      await until(
        async () => (await once.status(id))?.targets.every((t) => t.state !== 'dead') === true,
        10_000,
      ),
    ).toBe(true);
  });

  it("gives a directory lookup lookupTimeoutMs: one organization's hung lookups do not stall another's alerts, nor close()", async () => {
    const base = createStaticDirectory([tenant(receiver.base, 1, 'org-b')]);
    const directory = {
      // Organization A's database never answers.
      get: (id: string) => (id === 'org-a' ? new Promise<never>(() => {}) : base.get(id)),
    };
    const records: DeliveryRecord[] = [];
    const worker = createDeliveryWorker({
      connection: redis.connection,
      directory,
      routes: { slack: { channel: createHttpChannel(), render } },
      limits: false,
      lookupTimeoutMs: 300,
      backoff: { baseDelayMs: 20_000, maxDelayMs: 20_000 },
      onDelivery: (r) => records.push(r),
    });
    const ids = [];
    // As many as the worker's event slots (concurrency 8), all of organization A.
    for (let n = 1; n <= 8; n++) ids.push((await queue.enqueue(alertEvent(n, 'org-a'))).id);
    await queue.enqueue(alertEvent(100, 'org-b'));
    expect(
      await until(
        () => records.some((r) => r.organizationId === 'org-b' && r.status === 'delivered'),
        20_000,
      ),
    ).toBe(true);
    // A's events wait for their retry, their slots freed, each with the timeout as its reason.
    expect(await until(async () => (await queue.jobCounts()).events.delayed === 8, 10_000)).toBe(true);
    // close() ends whatever the directory does (a lookup in progress is cut short by it).
    await queue.enqueue(alertEvent(9, 'org-a'));
    await until(async () => (await queue.jobCounts()).events.active === 1, 5_000);
    const closed = await Promise.race([
      worker.close({ timeoutMs: 200 }).then(() => true),
      new Promise<false>((resolve) => setTimeout(() => resolve(false), ceiling(10_000))),
    ]);
    expect(closed).toBe(true);
  });

  it('refuses an event larger than maxEventBytes with a ValidationError, as notify() does', async () => {
    const small = createNotificationQueue({ connection: redis.connection, maxEventBytes: 2048 });
    open.push(small);
    const big = { ...alertEvent(1), alert: { ...alertEvent(1).alert, description: 'x'.repeat(3000) } };
    const error = await small.enqueue(big).catch((e) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/expected at most 2048 bytes of JSON \(maxEventBytes\), got 3\d{3}/);
    expect((await small.jobCounts()).events.waiting).toBe(0);
  });

  it('drops the stored event once every target has an outcome; a dead letter keeps it for its retry', async () => {
    const directory = createStaticDirectory([
      {
        organizationId: 'org-1',
        slack: {
          webhooks: [
            { name: 'ok', url: `${receiver.base}${webhookPath(1)}` },
            { name: 'refuses', url: `${receiver.base}${webhookPath(9)}` },
          ],
        },
      },
    ]);
    const { records } = startWorker(directory);
    await queue.enqueue(alertEvent(1));
    expect(await until(async () => (await queue.deadLetters.list()).length === 1, 20_000)).toBe(true);
    expect(records.filter((r) => r.status === 'delivered')).toHaveLength(1);
    // What stays after delivery does not hold the event, whatever its size.
    expect(await redis.client().keys('{pytake-notify}:event:*')).toEqual([]);
    const [letter] = await queue.deadLetters.list();
    expect(await queue.deadLetters.retry(letter!.id)).toBe(true);
    // The retried job still has its event: it sends again (and is refused again).
    expect(
      await until(() => receiver.received.filter((r) => r.path === webhookPath(9)).length === 2, 20_000),
    ).toBe(true);
    expect(await until(async () => (await queue.deadLetters.list()).length === 1, 20_000)).toBe(true);
    expect((await queue.deadLetters.list())[0]!.error.code).toBe('permanent');
  });

  it('retries a transient failure through BullMQ with backoff, then delivers', async () => {
    const flaky = await startReceiver();
    let failures = 2;
    const channel = createHttpChannel();
    const records: DeliveryRecord[] = [];
    const worker = createDeliveryWorker({
      connection: redis.connection,
      directory: createStaticDirectory([tenant(flaky.base, 1)]),
      routes: {
        slack: {
          render,
          channel: {
            kind: 'slack',
            send: async (d, o) => {
              if (failures-- > 0)
                throw new NotifyError('socket hang up', { code: 'transient', retryable: true });
              return channel.send(d, o);
            },
          },
        },
      },
      backoff: { baseDelayMs: 20, maxDelayMs: 50 },
      limits: { slack: false },
      onDelivery: (r) => records.push(r),
    });
    open.push(worker, flaky);
    await queue.enqueue(alertEvent(1));
    expect(await until(() => records.some((r) => r.channel === 'slack'), 20_000)).toBe(true);
    expect(records.find((r) => r.channel === 'slack')).toMatchObject({ status: 'delivered', attempts: 3 });
    expect(flaky.accepted()).toHaveLength(1);
  });

  it('fails a delivery at once as rate_limited when the shared limit would hold it longer than maxDeferralMs', async () => {
    const records: DeliveryRecord[] = [];
    const worker = createDeliveryWorker({
      connection: redis.connection,
      directory: createStaticDirectory([tenant(receiver.base, 1)]),
      routes: { slack: { channel: createHttpChannel(), render } },
      // One send per 100 s: the second delivery would wait far longer than the 1 s it may.
      limits: { slack: { perSecond: 0.01, burst: 1 } },
      maxDeferralMs: 1000,
      onDelivery: (r) => records.push(r),
    });
    open.push(worker);
    await queue.enqueue(alertEvent(1));
    await queue.enqueue(alertEvent(2));
    expect(await until(() => records.filter((r) => r.channel === 'slack').length === 2, 20_000)).toBe(true);
    const slack = records.filter((r) => r.channel === 'slack');
    expect(slack.map((r) => r.status).sort()).toEqual(['delivered', 'failed']);
    expect(slack.find((r) => r.status === 'failed')?.error?.code).toBe('rate_limited');
    expect(receiver.accepted()).toHaveLength(1);
    const [letter] = await queue.deadLetters.list();
    expect(letter?.error.code).toBe('rate_limited');
  });
});
