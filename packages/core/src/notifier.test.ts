import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Channel, DeliveryReceipt, SendOptions } from './channel.js';
import type { DeliveryRecord } from './delivery-record.js';
import { ConfigError, NotifyError, ValidationError } from './errors.js';
import type { AlertEventInput } from './events.js';
import { parseAlertEvent } from './events.js';
import { createMemoryIdempotencyStore } from './idempotency.js';
import { createNotifier, type NotifierOptions, notifierDefaults } from './notifier.js';
import { deliveryKey, planTargets } from './plan-targets.js';
import type { EmailContent, EmailDelivery, SlackChannelDelivery, SlackDelivery } from './routes.js';
import {
  createStaticDirectory,
  parseTenantConfig,
  type TenantConfig,
  type TenantConfigInput,
} from './tenant.js';

// Webhook URLs are credentials: the token at the end of each must never show up in a record.
const token = (n: number) => `xoxTOKEN${n}SECRETaaaa${n}${n}${n}${n}`;
const hookUrl = (n: number) => `https://hooks.slack.com/services/T0ACME/B0HOOK${n}/${token(n)}`;

const acme: TenantConfigInput = {
  organizationId: 'org_acme',
  organizationName: 'Acme',
  email: {
    to: ['ops@acme.com', { email: 'cto@acme.com', name: 'CTO' }],
    cc: ['audit@acme.com'],
    replyTo: 'support@acme.com',
    minSeverity: 'medium',
  },
  slack: {
    webhooks: [
      { url: hookUrl(1), name: '#alerts' },
      { url: hookUrl(2), name: '#incidents', minSeverity: 'critical' },
      { url: hookUrl(3), events: ['alert.resolved'] },
    ],
  },
};

function event(
  overrides: { severity?: string; type?: string; occurredAt?: string; organizationId?: string } = {},
) {
  return {
    type: overrides.type ?? 'alert.created',
    alert: {
      id: 'alr_42',
      organizationId: overrides.organizationId ?? 'org_acme',
      title: 'Disk almost full on db-1',
      severity: overrides.severity ?? 'high',
      category: 'system',
      createdAt: '2026-01-31T14:30:00Z',
    },
    occurredAt: overrides.occurredAt ?? '2026-01-31T14:30:05Z',
  } as AlertEventInput;
}

interface Sent<M> {
  message: M;
  options: SendOptions | undefined;
}

/**
 * A stand-in for a transport (SMTP, Slack): it records what the notifier hands it. `answer` decides
 * what each send does; by default it delivers in one attempt.
 */
function recordingChannel<M>(
  kind: string,
  answer: (message: M, n: number) => Promise<DeliveryReceipt> = async (_m, n) => ({
    attempts: 1,
    durationMs: 5,
    providerId: `${kind}-${n}`,
  }),
) {
  const sent: Sent<M>[] = [];
  const channel: Channel<M> & { configured: boolean } = {
    kind,
    configured: true,
    isConfigured() {
      return this.configured;
    },
    async send(message, options) {
      sent.push({ message, options });
      return answer(message, sent.length);
    },
  };
  return { channel, sent };
}

function setup(
  overrides: Partial<NotifierOptions<{ text: string }>> & {
    tenants?: TenantConfigInput[];
    email?: ReturnType<typeof recordingChannel<EmailDelivery>>;
    slack?: ReturnType<typeof recordingChannel<SlackDelivery<{ text: string }>>>;
  } = {},
) {
  const email = overrides.email ?? recordingChannel<EmailDelivery>('email');
  const slack = overrides.slack ?? recordingChannel<SlackDelivery<{ text: string }>>('slack');
  const renders: string[] = [];
  const records: DeliveryRecord[] = [];
  const notifier = createNotifier<{ text: string }>({
    directory: createStaticDirectory(overrides.tenants ?? [acme]),
    routes: {
      email: {
        channel: email.channel,
        render: (e, tenant): EmailContent => {
          renders.push('email');
          return {
            subject: `[${e.alert.severity}] ${e.alert.title}`,
            html: `<p>${tenant.organizationName}</p>`,
            text: 'txt',
          };
        },
      },
      slack: {
        channel: slack.channel,
        render: (e) => {
          renders.push('slack');
          return { text: e.alert.title };
        },
      },
    },
    onDelivery: (record) => records.push(record),
    ...overrides,
  });
  return { notifier, email, slack, renders, records };
}

const byTarget = (records: DeliveryRecord[]) =>
  Object.fromEntries(records.map((r) => [r.target, r.reason ? `${r.status}:${r.reason}` : r.status]));

describe('createNotifier()', () => {
  describe('notify() routing', () => {
    it('routes a high alert to email and to the webhooks whose filters let it through', async () => {
      const { notifier, email, slack } = setup();
      const report = await notifier.notify(event({ severity: 'high' }));
      expect(byTarget(report.records)).toEqual({
        'o…@acme.com +1': 'delivered',
        '#alerts (hooks.slack.com/…1111)': 'delivered',
        '#incidents (hooks.slack.com/…2222)': 'skipped:filtered',
        'hooks.slack.com/…3333': 'skipped:filtered',
      });
      expect(report.summary).toEqual({
        delivered: 2,
        partial: 0,
        failed: 0,
        skipped: 2,
        duplicate: 0,
        digested: 0,
      });
      expect(email.sent).toHaveLength(1);
      expect(slack.sent.map((s) => s.message.webhookUrl)).toEqual([hookUrl(1)]);
    });

    it('sends a critical alert to every severity-filtered webhook', async () => {
      const { notifier, slack } = setup();
      await notifier.notify(event({ severity: 'critical' }));
      expect(slack.sent.map((s) => s.message.webhookUrl)).toEqual([hookUrl(1), hookUrl(2)]);
      // The channel learns the severity, so that its limiter can send critical alerts first.
      expect(slack.sent.map((s) => s.options?.severity)).toEqual(['critical', 'critical']);
    });

    it('filters email below its minSeverity', async () => {
      const { notifier, email } = setup();
      const report = await notifier.notify(event({ severity: 'low' }));
      expect(report.records.find((r) => r.channel === 'email')).toMatchObject({
        status: 'skipped',
        reason: 'filtered',
      });
      expect(email.sent).toEqual([]);
    });

    it('sends an event type only to webhooks that list it', async () => {
      const { notifier, slack } = setup();
      await notifier.notify(event({ type: 'alert.created', severity: 'critical' }));
      await notifier.notify(event({ type: 'alert.resolved', severity: 'critical' }));
      // Webhook 3 takes only alert.resolved; 1 and 2 have no event filter.
      expect(slack.sent.map((s) => s.message.webhookUrl)).toEqual([
        hookUrl(1),
        hookUrl(2),
        hookUrl(1),
        hookUrl(2),
        hookUrl(3),
      ]);
    });

    it('addresses one email to all recipients and one Slack message per webhook, rendering each kind once', async () => {
      const { notifier, email, slack, renders } = setup();
      await notifier.notify(event({ severity: 'critical' }));
      expect(renders.sort()).toEqual(['email', 'slack']);
      expect(email.sent).toHaveLength(1);
      expect(email.sent[0]?.message).toEqual({
        subject: '[critical] Disk almost full on db-1',
        html: '<p>Acme</p>',
        text: 'txt',
        to: ['ops@acme.com', { email: 'cto@acme.com', name: 'CTO' }],
        cc: ['audit@acme.com'],
        bcc: undefined,
        replyTo: 'support@acme.com',
        threadKey: 'alr_42',
        threadRoot: true,
      });
      expect(slack.sent.map((s) => s.message)).toEqual([
        { webhookUrl: hookUrl(1), message: { text: 'Disk almost full on db-1' }, threadKey: 'alr_42' },
        { webhookUrl: hookUrl(2), message: { text: 'Disk almost full on db-1' }, threadKey: 'alr_42' },
      ]);
    });

    it('makes the created email the thread root and later emails replies', async () => {
      const { notifier, email } = setup({ idempotency: false });
      await notifier.notify(event());
      await notifier.notify(event({ type: 'alert.resolved', occurredAt: '2026-02-02T00:00:00Z' }));
      expect(email.sent.map((s) => [s.message.threadKey, s.message.threadRoot])).toEqual([
        ['alr_42', true],
        ['alr_42', false],
      ]);
    });

    it('passes the signal and a stable idempotency key to the channel', async () => {
      const controller = new AbortController();
      let abortedInside: boolean | undefined;
      const slack = recordingChannel<SlackDelivery<{ text: string }>>('slack', async (_m, n) => {
        if (n === 1) {
          // The channel gets a signal of its own (it also aborts at deliveryTimeoutMs) that follows ours.
          const own = slack.sent[0]?.options?.signal;
          const aborted = () => own?.aborted;
          const before = aborted();
          controller.abort();
          abortedInside = before === false && aborted() === true;
        }
        return { attempts: 1, durationMs: 1 };
      });
      const { notifier } = setup({ idempotency: false, slack });
      await notifier.notify(event(), { signal: controller.signal });
      await notifier.notify(event());
      const [first, second] = slack.sent;
      expect(abortedInside).toBe(true);
      expect(first?.options?.idempotencyKey).toMatch(
        /^org_acme:alr_42:alert\.created@2026-01-31T14%3A30%3A05\.000Z:slack:/,
      );
      expect(second?.options?.idempotencyKey).toBe(first?.options?.idempotencyKey);
      expect(first?.options?.idempotencyKey).not.toContain(token(1));
    });

    it('keeps records in target order and reports receipts', async () => {
      const { notifier } = setup();
      const report = await notifier.notify(event());
      expect(report).toMatchObject({
        organizationId: 'org_acme',
        alertId: 'alr_42',
        eventType: 'alert.created',
      });
      expect(report.records.map((r) => r.channel)).toEqual(['email', 'slack', 'slack', 'slack']);
      expect(report.records[0]).toMatchObject({
        status: 'delivered',
        attempts: 1,
        durationMs: 5,
        providerId: 'email-1',
      });
    });

    it('never has more deliveries in flight than concurrency', async () => {
      let inFlight = 0;
      let peak = 0;
      const slack = recordingChannel<SlackDelivery<{ text: string }>>('slack', async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        return { attempts: 1, durationMs: 1 };
      });
      const tenants = [
        {
          organizationId: 'org_acme',
          slack: { webhooks: [1, 2, 3, 4, 5].map((n) => ({ url: hookUrl(n) })) },
        },
      ];
      const { notifier } = setup({ slack, tenants, concurrency: 2 });
      const report = await notifier.notify(event());
      expect(report.summary.delivered).toBe(5);
      expect(peak).toBe(2);
    });
  });

  describe('notify() through the Slack Web API', () => {
    const tenant: TenantConfigInput = {
      organizationId: 'org_acme',
      slack: {
        channels: [
          { id: 'C0ALERTS', name: 'alerts' },
          { id: 'C0CRIT', minSeverity: 'critical' },
        ],
        threadReplies: true,
      },
    };

    it('sends to each channel id with the thread flag and the event type, one record each', async () => {
      const api = recordingChannel<SlackChannelDelivery<{ text: string }>>('slack-api');
      const { notifier } = setup({
        tenants: [tenant],
        routes: { slackApi: { channel: api.channel, render: (e) => ({ text: e.alert.title }) } },
      });
      const report = await notifier.notify(event({ type: 'alert.resolved', severity: 'high' }));
      expect(api.sent.map((s) => s.message)).toEqual([
        {
          channel: 'C0ALERTS',
          message: { text: 'Disk almost full on db-1' },
          threadKey: 'alr_42',
          thread: true,
          event: 'alert.resolved',
        },
      ]);
      expect(report.records.map((r) => [r.channel, r.target, r.status])).toEqual([
        ['slack-api', 'alerts (C0ALERTS)', 'delivered'],
        ['slack-api', 'C0CRIT', 'skipped'],
      ]);
    });

    it('accepts a hand-built tenant config that has webhooks but no channels', async () => {
      const handBuilt = {
        organizationId: 'org_acme',
        locale: 'en',
        timeZone: 'UTC',
        slack: { enabled: true, webhooks: [{ url: hookUrl(1) }] },
      } as unknown as TenantConfig;
      const { notifier, slack } = setup({ directory: { get: async () => handBuilt } });
      const report = await notifier.notify(event());
      expect(report.summary.delivered).toBe(1);
      expect(slack.sent).toHaveLength(1);
    });

    it('skips channel targets when no slackApi route is configured', async () => {
      const { notifier } = setup({ tenants: [tenant] });
      const report = await notifier.notify(event());
      expect(report.records.map((r) => `${r.channel}:${r.status}:${r.reason}`)).toEqual([
        'slack-api:skipped:no_route',
        'slack-api:skipped:no_route',
      ]);
    });
  });

  describe('notify() skips', () => {
    it('skips an unknown organization without sending', async () => {
      const { notifier, email, slack } = setup();
      const report = await notifier.notify(event({ organizationId: 'org_nobody' }));
      expect(report.records.map((r) => [r.channel, r.status, r.reason])).toEqual([
        ['email', 'skipped', 'unknown_organization'],
        ['slack', 'skipped', 'unknown_organization'],
      ]);
      expect(email.sent).toEqual([]);
      expect(slack.sent).toEqual([]);
    });

    it('skips a disabled channel', async () => {
      const tenants = [
        {
          organizationId: 'org_acme',
          email: { to: ['ops@acme.com'], enabled: false },
          slack: { ...acme.slack!, enabled: false },
        },
      ];
      const { notifier, email, slack } = setup({ tenants });
      const report = await notifier.notify(event({ severity: 'critical' }));
      expect(report.records.map((r) => r.reason)).toEqual(['disabled', 'disabled', 'disabled', 'disabled']);
      expect(email.sent.length + slack.sent.length).toBe(0);
    });

    it('skips a channel that is not configured', async () => {
      const email = recordingChannel<EmailDelivery>('email');
      email.channel.configured = false;
      const { notifier } = setup({ email });
      const report = await notifier.notify(event());
      expect(report.records[0]).toMatchObject({
        channel: 'email',
        status: 'skipped',
        reason: 'not_configured',
      });
      expect(email.sent).toEqual([]);
      expect(report.summary.delivered).toBe(1);
    });

    it('skips a channel kind without a route', async () => {
      const slack = recordingChannel<SlackDelivery>('slack');
      const notifier = createNotifier({
        directory: createStaticDirectory([acme]),
        routes: { slack: { channel: slack.channel, render: () => 'hi' } },
      });
      const report = await notifier.notify(event());
      expect(report.records[0]).toMatchObject({ channel: 'email', status: 'skipped', reason: 'no_route' });
      expect(report.summary.delivered).toBe(1);
    });
  });

  describe('notify() duplicates', () => {
    it('delivers the same event once and reports the second as duplicate', async () => {
      const { notifier, email, slack } = setup();
      const first = await notifier.notify(event());
      const second = await notifier.notify(event());
      expect(first.summary.delivered).toBe(2);
      expect(second.summary).toEqual({
        delivered: 0,
        partial: 0,
        failed: 0,
        skipped: 2,
        duplicate: 2,
        digested: 0,
      });
      expect(email.sent).toHaveLength(1);
      expect(slack.sent).toHaveLength(1);
    });

    it('suppresses duplicates sent concurrently', async () => {
      const { notifier, slack } = setup();
      await Promise.all([notifier.notify(event()), notifier.notify(event())]);
      expect(slack.sent).toHaveLength(1);
    });

    it('treats a later occurrence of the same alert event as new', async () => {
      const { notifier, slack } = setup();
      await notifier.notify(event());
      await notifier.notify(event({ occurredAt: '2026-01-31T15:00:00Z' }));
      expect(slack.sent).toHaveLength(2);
    });

    it('fails a delivery whose store answers a claim with anything else, instead of sending it twice', async () => {
      // A store written from a wrong description: it answers the value it stored, `inflight`.
      const store = { ...createMemoryIdempotencyStore(), claim: async () => 'inflight' as never };
      const { notifier, slack } = setup({ idempotency: { store } });
      const report = await notifier.notify(event());
      expect(report.records[1]).toMatchObject({
        status: 'failed',
        error: {
          code: 'config',
          message: `The idempotency store's claim() answered "inflight"; expected 'claimed', 'in_flight' or 'delivered'`,
        },
      });
      expect(slack.sent).toHaveLength(0);
    });

    it("keeps a channel's warnings in a delivered record, redacted", async () => {
      const slack = recordingChannel<SlackDelivery<{ text: string }>>('slack', async () => ({
        attempts: 1,
        durationMs: 1,
        warnings: [{ code: 'parent_update_failed', message: `message_not_found at ${hookUrl(1)}` }],
      }));
      const { notifier } = setup({ slack });
      const record = (await notifier.notify(event())).records[1];
      expect(record).toMatchObject({
        status: 'delivered',
        warnings: [{ code: 'parent_update_failed', message: 'message_not_found at [redacted]' }],
      });
    });

    it('releases the key of a failed delivery, so that a retry sends', async () => {
      let down = true;
      const slack = recordingChannel<SlackDelivery<{ text: string }>>('slack', async () => {
        if (down) throw new NotifyError('Slack answered 503', { code: 'transient', retryable: true });
        return { attempts: 1, durationMs: 1 };
      });
      const { notifier } = setup({ slack });
      expect((await notifier.notify(event())).records[1]).toMatchObject({ status: 'failed' });
      down = false;
      expect((await notifier.notify(event())).records[1]).toMatchObject({ status: 'delivered' });
      expect((await notifier.notify(event())).records[1]).toMatchObject({ status: 'duplicate' });
      expect(slack.sent).toHaveLength(2);
    });

    it('sends every time when idempotency is off', async () => {
      const { notifier, slack } = setup({ idempotency: false });
      await notifier.notify(event());
      await notifier.notify(event());
      expect(slack.sent).toHaveLength(2);
    });

    it('uses the store it is given, with its TTL', async () => {
      let now = 0;
      const store = createMemoryIdempotencyStore({ now: () => now });
      const { notifier, slack } = setup({ idempotency: { store, ttlMs: 1000 } });
      await notifier.notify(event());
      now = 999;
      await notifier.notify(event());
      now = 1000;
      await notifier.notify(event());
      expect(slack.sent).toHaveLength(2);
    });

    it('keeps a delivered record when the store throws at once on complete() and release()', async () => {
      const store = {
        claim: async () => 'claimed' as const,
        complete: () => {
          throw new Error('ECONNREFUSED 127.0.0.1:6379');
        },
        release: () => {
          throw new Error('ECONNREFUSED 127.0.0.1:6379');
        },
      };
      const { notifier } = setup({ idempotency: { store: store as never } });
      const report = await notifier.notify(event());
      expect(report.summary.delivered).toBe(2);
    });

    it('still delivers when the idempotency store is down', async () => {
      const store = {
        claim: async () => {
          throw new Error('ECONNREFUSED 127.0.0.1:6379');
        },
        complete: async () => {},
        release: async () => {},
      };
      const { notifier } = setup({ idempotency: { store } });
      const report = await notifier.notify(event());
      expect(report.summary.delivered).toBe(2);
    });
  });

  describe('notify() failures', () => {
    it('reports a channel that throws as failed and still resolves, delivering the other targets', async () => {
      const slack = recordingChannel<SlackDelivery<{ text: string }>>('slack', async () => {
        throw Object.assign(new NotifyError('Slack answered 404 no_service', { code: 'permanent' }), {
          attempts: 1,
        });
      });
      const { notifier } = setup({ slack });
      const report = await notifier.notify(event());
      expect(report.records[0]).toMatchObject({ channel: 'email', status: 'delivered' });
      expect(report.records[1]).toMatchObject({
        channel: 'slack',
        status: 'failed',
        attempts: 1,
        error: { code: 'permanent', message: 'Slack answered 404 no_service' },
      });
      expect(report.summary.failed).toBe(1);
    });

    it('takes attempts from the error that retry() annotated', async () => {
      const email = recordingChannel<EmailDelivery>('email', async () => {
        const error = new NotifyError('421 try later', { code: 'transient', retryable: true });
        error.attempts = 3;
        throw error;
      });
      const { notifier } = setup({ email });
      expect((await notifier.notify(event())).records[0]).toMatchObject({ status: 'failed', attempts: 3 });
    });

    it('wraps a plain error from a channel as permanent', async () => {
      const email = recordingChannel<EmailDelivery>('email', async () => {
        throw new TypeError('Cannot read properties of undefined');
      });
      const { notifier } = setup({ email });
      expect((await notifier.notify(event())).records[0]?.error).toEqual({
        code: 'permanent',
        message: 'Cannot read properties of undefined',
      });
    });

    it('reports a render that throws as failed for that channel only', async () => {
      const email = recordingChannel<EmailDelivery>('email');
      const notifier = createNotifier({
        directory: createStaticDirectory([acme]),
        routes: {
          email: {
            channel: email.channel,
            render: () => {
              throw new Error('Template "alert-created" is missing');
            },
          },
          slack: {
            channel: recordingChannel<SlackDelivery>('slack').channel,
            render: () => ({ text: 'ok' }),
          },
        },
      });
      const report = await notifier.notify(event());
      expect(report.records[0]).toMatchObject({
        channel: 'email',
        status: 'failed',
        error: { message: 'Template "alert-created" is missing' },
      });
      expect(report.records[1]).toMatchObject({ channel: 'slack', status: 'delivered' });
      expect(email.sent).toEqual([]);
    });

    it('reports a directory that throws as failed instead of rejecting', async () => {
      const records: DeliveryRecord[] = [];
      const notifier = createNotifier({
        directory: {
          get: async () => {
            throw new Error('connection to tenants database lost');
          },
        },
        routes: { slack: { channel: recordingChannel<SlackDelivery>('slack').channel, render: () => 'hi' } },
        onDelivery: (r) => records.push(r),
      });
      const report = await notifier.notify(event());
      expect(report.records).toEqual([
        expect.objectContaining({
          channel: 'slack',
          status: 'failed',
          error: { code: 'transient', message: 'connection to tenants database lost' },
        }),
      ]);
      expect(records).toEqual(report.records);
    });

    it('gives a directory that never answers lookupTimeoutMs, then records failed with timeout', async () => {
      const notifier = createNotifier({
        directory: { get: () => new Promise<never>(() => {}) },
        routes: { slack: { channel: recordingChannel<SlackDelivery>('slack').channel, render: () => 'hi' } },
        lookupTimeoutMs: 50,
      });
      const report = await notifier.notify(event());
      expect(report.records).toEqual([
        expect.objectContaining({
          status: 'failed',
          error: { code: 'timeout', message: 'directory.get did not answer within lookupTimeoutMs (50 ms)' },
        }),
      ]);
    });

    it('keeps secrets and addresses that a directory error quotes out of the records', async () => {
      const notifier = createNotifier({
        directory: {
          get: async () => {
            throw new Error(
              'query failed on postgres://tenants:hunter2hunter2@db:5432/app for https://hooks.slack.com/services/T0/B0/s3cr3tpath (owner ana.lima@acme.example)',
            );
          },
        },
        routes: { slack: { channel: recordingChannel<SlackDelivery>('slack').channel, render: () => 'hi' } },
      });
      const [record] = (await notifier.notify(event())).records;
      expect(record!.error).toEqual({
        code: 'transient',
        message: 'query failed on postgres://…@db:5432/app for hooks.slack.com/…path (owner a…@acme.example)',
      });
    });

    it('refuses an event larger than maxEventBytes with a ValidationError naming both sizes', async () => {
      const { notifier, slack } = setup({ maxEventBytes: 4096 });
      const big = { ...event(), alert: { ...event().alert, description: 'x'.repeat(5000) } };
      const error = await notifier.notify(big as never).catch((e) => e);
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.message).toMatch(
        /\(event\): expected at most 4096 bytes of JSON \(maxEventBytes\), got 5\d{3}/,
      );
      expect(slack.sent).toEqual([]);
      // The default is 64 KiB: the same event goes through.
      expect((await setup().notifier.notify(big as never)).summary.delivered).toBe(2);
      expect(() => setup({ maxEventBytes: 0 })).toThrow(ConfigError);
    });

    it('rejects a malformed event with a ValidationError before sending anything', async () => {
      const { notifier, email, slack, records } = setup();
      const pending = notifier.notify(event({ severity: 'urgent' }));
      await expect(pending).rejects.toBeInstanceOf(ValidationError);
      await expect(pending).rejects.toThrow(
        'alert.severity: expected one of critical, high, medium, low, got "urgent"',
      );
      expect(email.sent.length + slack.sent.length + records.length).toBe(0);
    });
  });

  describe('onDelivery', () => {
    it('is called once for every record', async () => {
      const { notifier, records } = setup();
      const report = await notifier.notify(event());
      expect(records).toEqual(report.records);
      const unknown = await notifier.notify(event({ organizationId: 'org_nobody' }));
      expect(records.slice(4)).toEqual(unknown.records);
    });

    it('does not break notify() when it throws', async () => {
      const { notifier, slack } = setup({
        onDelivery: () => {
          throw new Error('metrics backend down');
        },
      });
      const report = await notifier.notify(event());
      expect(report.summary.delivered).toBe(2);
      expect(slack.sent).toHaveLength(1);
    });
  });

  describe('secrets', () => {
    it('never puts a webhook URL or token in a record, even when the channel error quotes it', async () => {
      const slack = recordingChannel<SlackDelivery<{ text: string }>>('slack', async (message, n) => {
        const { pathname } = new URL(message.webhookUrl);
        throw n === 1
          ? new Error(`request to ${message.webhookUrl} failed, reason: ECONNRESET`)
          : new NotifyError(`POST ${pathname} answered 500`, { code: 'transient', retryable: true });
      });
      const tenants = [
        {
          organizationId: 'org_acme',
          slack: { webhooks: [{ url: hookUrl(1) }, { url: `http://127.0.0.1:9/hooks/${token(2)}` }] },
        },
      ];
      const { notifier, records } = setup({ slack, tenants });
      const report = await notifier.notify(event());
      expect(report.summary.failed).toBe(2);
      const everything = JSON.stringify([report, records]);
      for (const secret of [token(1), token(2), '/services/T0ACME/B0HOOK1']) {
        expect(everything).not.toContain(secret);
      }
      expect(report.records.map((r) => r.target)).toEqual(['hooks.slack.com/…1111', '127.0.0.1:9/…2222']);
    });

    it('never puts a webhook URL in a record when render or the directory fails', async () => {
      const notifier = createNotifier({
        directory: createStaticDirectory([acme]),
        routes: {
          slack: {
            channel: recordingChannel<SlackDelivery>('slack').channel,
            render: (_event, tenant) => {
              throw new Error(`cannot render for ${tenant.slack?.webhooks[0]?.url}`);
            },
          },
        },
      });
      const report = await notifier.notify(event({ severity: 'critical' }));
      expect(report.summary.failed).toBe(2);
      expect(JSON.stringify(report)).not.toContain(token(1));
    });
  });

  describe('recipients', () => {
    it('shows email targets redacted, never an address, in records', async () => {
      const { notifier, records } = setup();
      const report = await notifier.notify(event());
      expect(report.records[0]?.target).toBe('o…@acme.com +1');
      const everything = JSON.stringify([report, records]);
      for (const address of ['ops@acme.com', 'cto@acme.com', 'audit@acme.com', 'support@acme.com']) {
        expect(everything).not.toContain(address);
      }
    });

    it('strips the addresses an SMTP server quotes from the error of a failed record', async () => {
      const email = recordingChannel<EmailDelivery>('email', async () => {
        throw new NotifyError('451 4.3.0 <CTO@acme.com>: temporary local problem; also ops@acme.com', {
          code: 'transient',
          retryable: true,
        });
      });
      const { notifier, records } = setup({ email });
      const report = await notifier.notify(event());
      expect(report.records[0]).toMatchObject({ status: 'failed', error: { code: 'transient' } });
      const everything = JSON.stringify([report, records]).toLowerCase();
      for (const address of ['ops@acme.com', 'cto@acme.com']) expect(everything).not.toContain(address);
    });
  });

  describe('deliveryTimeoutMs', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** Settles `promise` while advancing fake time in steps, at most `maxMs` of it. */
    async function settle<T>(promise: Promise<T>, maxMs: number, stepMs = 1000): Promise<T> {
      let done = false;
      const tracked = promise.finally(() => {
        done = true;
      });
      for (let elapsed = 0; !done && elapsed <= maxMs; elapsed += stepMs) {
        await vi.advanceTimersByTimeAsync(stepMs);
      }
      if (!done) throw new Error(`still pending after ${maxMs} ms of fake time`);
      return tracked;
    }

    it('defaults to 120 s', () => {
      expect(notifierDefaults.deliveryTimeoutMs).toBe(120_000);
    });

    it('is validated when the notifier is created, naming the option', () => {
      for (const deliveryTimeoutMs of [0, 0.5, -1, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 31, '5']) {
        expect(() => setup({ deliveryTimeoutMs: deliveryTimeoutMs as number })).toThrow(ConfigError);
        expect(() => setup({ deliveryTimeoutMs: deliveryTimeoutMs as number })).toThrow(/deliveryTimeoutMs/);
      }
      expect(() => setup({ concurrency: 0 })).toThrow(/concurrency/);
      expect(() => setup({ idempotency: { ttlMs: -1 } })).toThrow(/idempotency\.ttlMs/);
      expect(() => setup({ deliveryTimeoutMs: 1 })).not.toThrow();
    });

    it('fails a webhook that never answers with timeout at the deadline, aborting its signal, and delivers the rest', async () => {
      vi.useFakeTimers();
      const signals: AbortSignal[] = [];
      const slack = recordingChannel<SlackDelivery<{ text: string }>>('slack', (_m, n) => {
        const signal = slack.sent[n - 1]!.options!.signal!;
        signals.push(signal);
        // A send stuck behind a long rate-limit hold: it stops only when its signal aborts.
        return new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => reject(new NotifyError('aborted', { code: 'aborted' }))),
        );
      });
      const { notifier, records } = setup({ slack, deliveryTimeoutMs: 30_000 });
      let settled = false;
      const pending = notifier.notify(event()).finally(() => {
        settled = true;
      });
      await vi.advanceTimersByTimeAsync(29_999);
      expect(settled).toBe(false);
      expect(signals[0]?.aborted).toBe(false);
      const report = await settle(pending, 5_000);
      expect(signals[0]?.aborted).toBe(true);
      expect(report.records.map((r) => [r.channel, r.status, r.error?.code])).toEqual([
        ['email', 'delivered', undefined],
        ['slack', 'failed', 'timeout'],
        ['slack', 'skipped', undefined],
        ['slack', 'skipped', undefined],
      ]);
      expect(report.records[1]?.error?.message).toContain('deliveryTimeoutMs (30000 ms)');
      expect(records).toEqual(report.records);
    });

    it('ends a delivery whose channel ignores its signal, and gives its key back', async () => {
      vi.useFakeTimers();
      let calls = 0;
      const slack = recordingChannel<SlackDelivery<{ text: string }>>('slack', async () => {
        calls++;
        if (calls === 1) return new Promise<never>(() => {});
        return { attempts: 1, durationMs: 1 };
      });
      const { notifier } = setup({ slack });
      const first = await settle(notifier.notify(event()), 130_000);
      expect(first.records[1]).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
      // The key was released: a retry of the same event is delivered, not called a duplicate.
      const second = await settle(notifier.notify(event()), 5_000);
      expect(second.records[1]).toMatchObject({ status: 'delivered' });
    });

    it('bounds a store that never answers: a hung claim fails with timeout, a hung complete still delivers', async () => {
      vi.useFakeTimers();
      const never = () => new Promise<never>(() => {});
      const hungClaim = { claim: never, complete: never, release: never };
      const tenants = [{ organizationId: 'org_acme', slack: { webhooks: [{ url: hookUrl(1) }] } }];
      const first = setup({ tenants, idempotency: { store: hungClaim }, deliveryTimeoutMs: 10_000 });
      const report = await settle(first.notifier.notify(event()), 15_000);
      expect(report.records[0]).toMatchObject({ status: 'failed', attempts: 0, error: { code: 'timeout' } });
      expect(first.slack.sent).toHaveLength(0);

      const hungComplete = { claim: async () => 'claimed' as const, complete: never, release: never };
      const second = setup({ tenants, idempotency: { store: hungComplete }, deliveryTimeoutMs: 10_000 });
      const delivered = await settle(second.notifier.notify(event()), 15_000);
      expect(delivered.records[0]).toMatchObject({ status: 'delivered' });
    });

    it('still reports an abort by the caller as aborted', async () => {
      const controller = new AbortController();
      const slack = recordingChannel<SlackDelivery<{ text: string }>>('slack', async () => {
        controller.abort();
        return new Promise<never>(() => {});
      });
      const { notifier } = setup({ slack });
      const report = await notifier.notify(event(), { signal: controller.signal });
      expect(report.records[1]).toMatchObject({ status: 'failed', error: { code: 'aborted' } });
    });
  });

  describe('notify() and deliveries in flight', () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    async function settleAll<T>(promises: Promise<T>[], maxMs: number, stepMs = 25): Promise<T[]> {
      let done = false;
      const all = Promise.all(promises).finally(() => {
        done = true;
      });
      for (let elapsed = 0; !done && elapsed <= maxMs; elapsed += stepMs) {
        await vi.advanceTimersByTimeAsync(stepMs);
      }
      if (!done) throw new Error(`still pending after ${maxMs} ms of fake time`);
      return all;
    }

    it('delivers exactly once when ten callers send the same event and the first delivery fails', async () => {
      vi.useFakeTimers();
      let attempts = 0;
      let delivered = 0;
      const slack = recordingChannel<SlackDelivery<{ text: string }>>('slack', async () => {
        attempts++;
        await new Promise((resolve) => setTimeout(resolve, 100));
        if (attempts === 1)
          throw new NotifyError('Slack answered 503', { code: 'transient', retryable: true });
        delivered++;
        return { attempts: 1, durationMs: 100 };
      });
      const tenants = [{ organizationId: 'org_acme', slack: { webhooks: [{ url: hookUrl(1) }] } }];
      const { notifier } = setup({ slack, tenants });
      const reports = await settleAll(
        Array.from({ length: 10 }, () => notifier.notify(event())),
        60_000,
      );
      const statuses = reports.map((r) => r.records.find((x) => x.channel === 'slack')!.status);
      expect(delivered).toBe(1);
      expect(attempts).toBe(2);
      expect(statuses.filter((s) => s === 'failed')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'delivered')).toHaveLength(1);
      expect(statuses.filter((s) => s === 'duplicate')).toHaveLength(8);
    });

    it('says duplicate only once the delivery in flight has succeeded', async () => {
      vi.useFakeTimers();
      let finish: (() => void) | undefined;
      const slack = recordingChannel<SlackDelivery<{ text: string }>>('slack', async () => {
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
        return { attempts: 1, durationMs: 1 };
      });
      const tenants = [{ organizationId: 'org_acme', slack: { webhooks: [{ url: hookUrl(1) }] } }];
      const { notifier } = setup({ slack, tenants });
      const first = notifier.notify(event());
      let secondReport: Awaited<typeof first> | undefined;
      const second = notifier.notify(event()).then((r) => {
        secondReport = r;
        return r;
      });
      await vi.advanceTimersByTimeAsync(10_000);
      expect(secondReport).toBeUndefined(); // still waiting, not told "duplicate"
      finish!();
      const [a, b] = await settleAll([first, second], 5_000);
      expect(a!.records[0]?.status).toBe('delivered');
      expect(b!.records[0]?.status).toBe('duplicate');
    });

    it("claims a crashed process's key once its short claim expires, and delivers", async () => {
      vi.useFakeTimers();
      const store = createMemoryIdempotencyStore({ now: () => Date.now() });
      const ttls: [string, number][] = [];
      const recording = {
        claim: (key: string, ttlMs: number) => {
          ttls.push(['claim', ttlMs]);
          return store.claim(key, ttlMs);
        },
        complete: (key: string, ttlMs: number) => {
          ttls.push(['complete', ttlMs]);
          return store.complete(key, ttlMs);
        },
        release: (key: string) => store.release(key),
      };
      const tenants = [{ organizationId: 'org_acme', slack: { webhooks: [{ url: hookUrl(1) }] } }];
      const { notifier, slack } = setup({
        tenants,
        idempotency: { store: recording, ttlMs: 3_600_000 },
        deliveryTimeoutMs: 10_000,
      });
      // Another process claimed this delivery, then died.
      const tenant = parseTenantConfig(tenants[0]);
      const parsed = parseAlertEvent(event());
      const [target] = planTargets(parsed, tenant, {
        slack: { channel: slack.channel, render: () => ({ text: '' }) },
      });
      await store.claim(deliveryKey(parsed, target!), 11_000);
      const [report] = await settleAll([notifier.notify(event())], 20_000, 100);
      expect(report!.records[0]).toMatchObject({ status: 'delivered' });
      expect(slack.sent).toHaveLength(1);
      // The claim lives about deliveryTimeoutMs; the delivered mark lives the idempotency TTL.
      expect(ttls.filter(([op]) => op === 'claim').every(([, ttl]) => ttl === 11_000)).toBe(true);
      expect(ttls.filter(([op]) => op === 'complete')).toEqual([['complete', 3_600_000]]);
    });

    it('gives up with timeout, not duplicate, when a key stays in flight past the ceiling', async () => {
      vi.useFakeTimers();
      let claims = 0;
      const store = {
        claim: async () => {
          claims++;
          return 'in_flight' as const;
        },
        complete: async () => {},
        release: async () => {},
      };
      const tenants = [{ organizationId: 'org_acme', slack: { webhooks: [{ url: hookUrl(1) }] } }];
      const { notifier, slack } = setup({ tenants, idempotency: { store }, deliveryTimeoutMs: 5_000 });
      const [report] = await settleAll([notifier.notify(event())], 10_000, 100);
      expect(report!.records[0]).toMatchObject({ status: 'failed', error: { code: 'timeout' } });
      expect(slack.sent).toHaveLength(0);
      // Asked again with a growing pause, not in a tight loop: 25, 50, ... then every second.
      expect(claims).toBeGreaterThan(3);
      expect(claims).toBeLessThan(20);
    });
  });

  describe('notify() and bad directory rows', () => {
    const rows: [string, unknown, string][] = [
      ['email.to a string', { organizationId: 'org_acme', email: { to: 'ops@acme.com' } }, 'email.to'],
      [
        'webhooks a string',
        { organizationId: 'org_acme', slack: { webhooks: hookUrl(1) } },
        'slack.webhooks',
      ],
      ['email null', { organizationId: 'org_acme', email: null }, 'email'],
      [
        'slack.enabled null',
        { organizationId: 'org_acme', slack: { enabled: null, webhooks: [{ url: hookUrl(1) }] } },
        'slack.enabled',
      ],
      ['a string row', 'org_acme', 'expected object'],
      [
        'a mention that cannot render',
        {
          organizationId: 'org_acme',
          slack: { webhooks: [{ url: hookUrl(1) }], mentionOnEscalation: ['oncall-team'] },
        },
        'slack.mentionOnEscalation[0]',
      ],
    ];

    it.each(rows)('fails with config naming the field for %s, never rejecting', async (_name, row, field) => {
      const { notifier, email, slack, records } = setup({
        directory: { get: async () => row as TenantConfig },
      });
      const report = await notifier.notify(event());
      expect(report.records.map((r) => [r.channel, r.status, r.error?.code])).toEqual([
        ['email', 'failed', 'config'],
        ['slack', 'failed', 'config'],
      ]);
      expect(report.records[0]?.error?.message).toContain(field);
      expect(JSON.stringify(report)).not.toContain(token(1));
      expect(JSON.stringify(report)).not.toContain('ops@acme.com');
      expect(email.sent.length + slack.sent.length).toBe(0);
      expect(records).toEqual(report.records);
    });

    it('treats a null row as an unknown organization', async () => {
      const { notifier } = setup({ directory: { get: async () => null as never } });
      const report = await notifier.notify(event());
      expect(report.records.map((r) => r.reason)).toEqual(['unknown_organization', 'unknown_organization']);
    });

    it('validates the row once per object, and each new object again', async () => {
      let reads = 0;
      const row = {
        get organizationId() {
          reads++;
          return 'org_acme';
        },
        slack: { webhooks: [{ url: hookUrl(1) }] },
      };
      const { notifier } = setup({
        directory: { get: async () => row as unknown as TenantConfig },
        idempotency: false,
      });
      await notifier.notify(event());
      const once = reads;
      await notifier.notify(event());
      await notifier.notify(event());
      expect(reads).toBe(once);
      const bad = { organizationId: 'org_acme', email: { to: 'x' } };
      const again = setup({ directory: { get: async () => ({ ...bad }) as never } });
      expect((await again.notifier.notify(event())).summary.failed).toBe(2);
      expect((await again.notifier.notify(event())).summary.failed).toBe(2);
    });

    it('passes the validated config, defaults applied, to render', async () => {
      const seen: TenantConfig[] = [];
      const handBuilt = { organizationId: 'org_acme', slack: { webhooks: [{ url: hookUrl(1) }] } };
      const notifier = createNotifier<string>({
        directory: { get: async () => handBuilt as TenantConfig },
        routes: {
          slack: {
            channel: recordingChannel<SlackDelivery<string>>('slack').channel,
            render: (_e, tenant) => {
              seen.push(tenant);
              return 'hi';
            },
          },
        },
      });
      expect((await notifier.notify(event())).summary.delivered).toBe(1);
      expect(seen[0]).toMatchObject({
        locale: 'en',
        timeZone: 'UTC',
        slack: { enabled: true, channels: [] },
      });
    });
  });

  describe('idempotency keys', () => {
    it('keeps org acme + alert eu:db-down apart from org acme:eu + alert db-down', async () => {
      const tenants = [
        { organizationId: 'acme', slack: { webhooks: [{ url: hookUrl(1) }] } },
        { organizationId: 'acme:eu', slack: { webhooks: [{ url: hookUrl(1) }] } },
      ];
      const { notifier, slack } = setup({ tenants });
      const make = (organizationId: string, id: string) =>
        ({
          ...event(),
          alert: { ...(event().alert as object), organizationId, id },
        }) as AlertEventInput;
      const first = await notifier.notify(make('acme', 'eu:db-down'));
      const second = await notifier.notify(make('acme:eu', 'db-down'));
      expect(first.records[0]?.status).toBe('delivered');
      expect(second.records[0]?.status).toBe('delivered');
      expect(first.records[0]?.idempotencyKey).not.toBe(second.records[0]?.idempotencyKey);
      expect(slack.sent).toHaveLength(2);
    });

    it('encodes % and : inside parts, so that keys decode to their parts', () => {
      const parts = (organizationId: string, id: string) => {
        const parsed = parseAlertEvent({
          ...event(),
          alert: { ...(event().alert as object), organizationId, id },
        });
        return deliveryKey(parsed, { route: 'slack', targetId: 'f' });
      };
      expect(parts('acme', 'eu:db-down')).toMatch(/^acme:eu%3Adb-down:alert\.created@/);
      expect(parts('acme:eu', 'db-down')).toMatch(/^acme%3Aeu:db-down:/);
      expect(parts('a%3Ab', 'c')).toMatch(/^a%253Ab:c:/);
      expect(parts('a%3Ab', 'c')).not.toBe(parts('a:b', 'c'));
    });
  });
});
