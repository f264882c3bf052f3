import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { AlertDigest, RenderContext } from './alert-digest.js';
import type { Channel, DeliveryReceipt } from './channel.js';
import type { DeliveryRecord } from './delivery-record.js';
import { NotifyError } from './errors.js';
import type { AlertEventInput } from './events.js';
import { createNotifier } from './notifier.js';
import type { EmailContent, EmailDelivery, SlackDelivery } from './routes.js';
import { createStaticDirectory, type TenantConfigInput } from './tenant.js';

// Storm control through notify(), on vitest's virtual clock: the notifier's digest timer and the
// tracker's clock both read it, so intervals pass in an instant and exactly when the test says.

const hookUrl = 'https://hooks.slack.com/services/T0ACME/B0HOOK/xoxSECRETtokenAAAA';
const acme = (storm?: false): TenantConfigInput => ({
  organizationId: 'org_acme',
  organizationName: 'Acme',
  email: { to: ['ops@acme.com'], storm: { threshold: 3, windowMs: 10_000, intervalMs: 10_000 } },
  slack: {
    webhooks: [{ url: hookUrl, name: 'ops' }],
    ...(storm === undefined ? { storm: { threshold: 3, windowMs: 10_000, intervalMs: 10_000 } } : { storm }),
  },
});

let n = 0;
function event(
  alertId: string,
  overrides: { severity?: string; type?: string; occurredAt?: string } = {},
): AlertEventInput {
  n += 1;
  return {
    type: overrides.type ?? 'alert.created',
    ...(overrides.type === 'alert.escalated' && { fromLevel: 1, toLevel: 2 }),
    alert: {
      id: alertId,
      organizationId: 'org_acme',
      title: `Alert ${alertId}`,
      severity: overrides.severity ?? 'medium',
      category: 'system',
      createdAt: '2026-01-31T14:30:00Z',
    },
    // A distinct occurredAt per call: each event is its own notification.
    occurredAt: overrides.occurredAt ?? new Date(Date.UTC(2026, 0, 31, 14, 30, 0, n)).toISOString(),
  } as AlertEventInput;
}

type Message = { text: string };

function setup(
  options: { tenant?: TenantConfigInput; withDigest?: boolean; answer?: () => Promise<DeliveryReceipt> } = {},
) {
  const slackSent: SlackDelivery<Message>[] = [];
  const emailSent: EmailDelivery[] = [];
  const contexts: (RenderContext | undefined)[] = [];
  const digests: AlertDigest[] = [];
  const records: DeliveryRecord[] = [];
  const answer = options.answer ?? (async () => ({ attempts: 1, durationMs: 1 }));
  const slack: Channel<SlackDelivery<Message>> = {
    kind: 'slack',
    async send(message) {
      slackSent.push(message);
      return answer();
    },
  };
  const email: Channel<EmailDelivery> = {
    kind: 'email',
    async send(message) {
      emailSent.push(message);
      return { attempts: 1, durationMs: 1 };
    },
  };
  const withDigest = options.withDigest ?? true;
  const notifier = createNotifier<Message>({
    directory: createStaticDirectory([options.tenant ?? acme()]),
    routes: {
      slack: {
        channel: slack,
        render: (e, _tenant, context) => {
          contexts.push(context);
          return { text: `alone ${e.alert.id} ${e.type}` };
        },
        ...(withDigest && {
          renderDigest: (digest: AlertDigest) => {
            digests.push(digest);
            return { text: `digest ${digest.events.map((e) => `${e.alert.id}:${e.type}`).join(',')}` };
          },
        }),
      },
      email: {
        channel: email,
        render: (e): EmailContent => ({ subject: e.alert.title, html: '<p>one</p>' }),
        renderDigest: (digest): EmailContent => ({
          subject: `${digest.events.length} alerts`,
          html: '<p>many</p>',
        }),
      },
    },
    onDelivery: (record) => records.push(record),
  });
  const slackTexts = () => slackSent.map((m) => m.message.text);
  const slackRecords = () => records.filter((r) => r.channel === 'slack');
  return { notifier, slackSent, emailSent, slackTexts, contexts, digests, records, slackRecords };
}

beforeEach(() => {
  vi.useFakeTimers({ now: new Date('2026-01-31T15:00:00Z') });
});
afterEach(() => {
  vi.useRealTimers();
});

const statusOf = async (promise: Promise<{ records: DeliveryRecord[] }>, channel = 'slack') =>
  (await promise).records.find((r) => r.channel === channel)!;

describe('notify() with storm control', () => {
  it('sends every event alone while a target stays at or under the threshold', async () => {
    const { notifier, slackTexts, records } = setup();
    for (const id of ['a1', 'a2', 'a3']) await notifier.notify(event(id));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(slackTexts()).toEqual([
      'alone a1 alert.created',
      'alone a2 alert.created',
      'alone a3 alert.created',
    ]);
    expect(records.map((r) => r.status)).not.toContain('digested');
  });

  it('folds the events past the threshold into one digest, sent when the interval ends', async () => {
    const { notifier, slackTexts, digests, slackRecords } = setup();
    const statuses: string[] = [];
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']) {
      statuses.push((await statusOf(notifier.notify(event(id)))).status);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(statuses).toEqual(['delivered', 'delivered', 'delivered', 'digested', 'digested', 'digested']);
    const folded = slackRecords().filter((r) => r.status === 'digested');
    const digestId = folded[0]!.digestId!;
    expect(digestId).toMatch(/^[0-9a-f]{16}-\d+$/);
    expect(new Set(folded.map((r) => r.digestId))).toEqual(new Set([digestId]));
    expect(slackTexts()).toHaveLength(3);

    // The interval started with the fourth event; nothing goes out before it ends.
    await vi.advanceTimersByTimeAsync(9_000);
    expect(slackTexts()).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(slackTexts()).toEqual([
      'alone a1 alert.created',
      'alone a2 alert.created',
      'alone a3 alert.created',
      'digest a4:alert.created,a5:alert.created,a6:alert.created',
    ]);
    expect(digests[0]).toMatchObject({ id: digestId, organizationId: 'org_acme' });
    expect(digests[0]!.endedAt.getTime() - digests[0]!.startedAt.getTime()).toBe(10_000);
    // A second record per folded event carries the digest's outcome.
    const sent = slackRecords().filter((r) => r.digestId === digestId && r.status !== 'digested');
    expect(sent.map((r) => [r.alertId, r.status])).toEqual([
      ['a4', 'delivered'],
      ['a5', 'delivered'],
      ['a6', 'delivered'],
    ]);
  });

  it('sends events at or above bypassSeverity alone and at once during a storm', async () => {
    const { notifier, slackTexts } = setup();
    for (const id of ['a1', 'a2', 'a3', 'a4']) await notifier.notify(event(id));
    const critical = await statusOf(notifier.notify(event('c1', { severity: 'critical' })));
    expect(critical.status).toBe('delivered');
    expect(slackTexts().at(-1)).toBe('alone c1 alert.created');
  });

  it('folds a later event of a digested alert into the next digest, and tells a severe one where the alert was first reported', async () => {
    const { notifier, slackTexts, contexts, slackRecords } = setup();
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6', 'a7']) await notifier.notify(event(id));
    await vi.advanceTimersByTimeAsync(10_000);
    const firstDigest = slackRecords().find((r) => r.alertId === 'a4' && r.status === 'digested')!.digestId;
    // The storm goes on: the next interval gets more than the threshold again.
    expect((await statusOf(notifier.notify(event('a4', { type: 'alert.resolved' })))).status).toBe(
      'digested',
    );
    for (const id of ['b1', 'b2', 'b3']) await notifier.notify(event(id));
    const escalated = await statusOf(
      notifier.notify(event('a5', { type: 'alert.escalated', severity: 'critical' })),
    );
    expect(escalated.status).toBe('delivered');
    expect(contexts.at(-1)).toEqual({ firstReportedInDigest: firstDigest });
    await vi.advanceTimersByTimeAsync(10_000);
    expect(slackTexts().at(-1)).toBe(
      'digest a4:alert.resolved,b1:alert.created,b2:alert.created,b3:alert.created',
    );
  });

  it('reports an alert created and resolved within one interval once, as resolved', async () => {
    const { notifier, digests, slackRecords } = setup();
    for (const id of ['a1', 'a2', 'a3', 'a4']) await notifier.notify(event(id));
    await notifier.notify(event('x', { type: 'alert.created' }));
    await notifier.notify(event('x', { type: 'alert.resolved' }));
    await vi.advanceTimersByTimeAsync(10_000);
    expect(digests[0]!.events.map((e) => `${e.alert.id}:${e.type}`)).toEqual([
      'a4:alert.created',
      'x:alert.resolved',
    ]);
    // Each folded event still gets the record of the digest's outcome.
    const sent = slackRecords().filter((r) => r.alertId === 'x' && r.status === 'delivered');
    expect(sent.map((r) => r.eventType)).toEqual(['alert.created', 'alert.resolved']);
  });

  it('ends the storm after an interval at or under the threshold: the next events go alone', async () => {
    const { notifier, slackTexts } = setup();
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) await notifier.notify(event(id));
    await vi.advanceTimersByTimeAsync(10_000); // the first digest; this interval was stormy
    await vi.advanceTimersByTimeAsync(10_000); // a quiet interval ends the storm
    await vi.advanceTimersByTimeAsync(10_000); // the window forgets the storm's arrivals
    expect((await statusOf(notifier.notify(event('z1')))).status).toBe('delivered');
    expect(slackTexts().at(-1)).toBe('alone z1 alert.created');
  });

  it('keeps storms per target: the email target storms on its own settings, a digest of its own thread', async () => {
    const { notifier, emailSent, records } = setup();
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) await notifier.notify(event(id));
    const emailFolded = records.filter((r) => r.channel === 'email' && r.status === 'digested');
    expect(emailFolded.map((r) => r.alertId)).toEqual(['a4', 'a5']);
    await vi.advanceTimersByTimeAsync(10_000);
    const digestEmail = emailSent.at(-1)!;
    expect(digestEmail.subject).toBe('2 alerts');
    expect(digestEmail).toMatchObject({ threadKey: emailFolded[0]!.digestId, threadRoot: true });
  });

  it('sends every event alone with storm: false, or through a route without renderDigest', async () => {
    for (const run of [setup({ tenant: acme(false) }), setup({ withDigest: false })]) {
      for (const id of ['a1', 'a2', 'a3', 'a4', 'a5', 'a6']) await run.notifier.notify(event(id));
      expect(run.slackTexts()).toHaveLength(6);
      expect(run.slackRecords().map((r) => r.status)).not.toContain('digested');
    }
  });

  it('close() sends the held digests at once, and later events go alone', async () => {
    const { notifier, slackTexts, slackRecords } = setup();
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) await notifier.notify(event(id));
    await notifier.close();
    expect(slackTexts().at(-1)).toBe('digest a4:alert.created,a5:alert.created');
    expect(slackRecords().filter((r) => r.digestId && r.status === 'delivered')).toHaveLength(2);
    expect((await statusOf(notifier.notify(event('a6')))).status).toBe('delivered');
    await notifier.close();
  });

  it('gives each folded event the failed outcome of its digest, free of the webhook URL', async () => {
    let calls = 0;
    const { notifier, slackRecords } = setup({
      answer: async () => {
        calls += 1;
        if (calls <= 3) return { attempts: 1, durationMs: 1 };
        throw new NotifyError(`POST ${hookUrl} answered 404 no_service`, {
          code: 'permanent',
          retryable: false,
        });
      },
    });
    for (const id of ['a1', 'a2', 'a3', 'a4', 'a5']) await notifier.notify(event(id));
    await vi.advanceTimersByTimeAsync(10_000);
    const failed = slackRecords().filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.alertId)).toEqual(['a4', 'a5']);
    expect(failed[0]!.digestId).toBeDefined();
    expect(JSON.stringify(failed)).not.toContain('xoxSECRET');
    expect(failed[0]!.error?.code).toBe('permanent');
  });
});
