// The soak: 2,000 events to 200 organizations (one email target and two webhooks each)
// through createNotifier with the real email and Slack webhook channels and the real templates,
// against local servers that fault about 20% of their interactions. It counts, from what the servers
// received and what the records say, every notification's fate, and asserts that none is lost and
// that no record carries a secret or a recipient address.
import { mkdirSync, writeFileSync } from 'node:fs';
import {
  type AlertEventInput,
  createNotifier,
  createStaticDirectory,
  type DeliveryRecord,
  type NotificationReport,
  type TenantConfigInput,
} from '@pytake/notify-core';
import { createEmailChannel, type EmailChannel } from '@pytake/notify-email';
import { createSlackWebhookChannel } from '@pytake/notify-slack';
import { renderEmailForTenant, renderSlackForTenant } from '@pytake/notify-templates';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FaultySmtpServer, startFaultySmtpServer } from './testing/faulty-smtp-server.js';
import { type FaultyWebhookServer, startFaultyWebhookServer } from './testing/faulty-webhook-server.js';
import { FAULTS_SEED, seededRandom } from './testing/seeded.js';

const SEED = FAULTS_SEED;
const ORGANIZATIONS = 200;
const EVENTS = 2_000;
/** notify() calls in flight at once: about one per organization, as events arrive from many services. */
const IN_FLIGHT = 200;
/**
 * A ceiling for a loaded machine, not a target: the soak took 120-170 s with the load average at
 * 10-14 on 2 cores (the email renders and SMTP transactions are CPU-bound), far less when quiet, and
 * over 420 s with two other test suites and a build loop on the same cores. Past the ceiling the
 * unsettled events count as lost, so it is set where only a hang would reach it.
 */
const DEADLINE_MS = 1_200_000;

const SMTP_USER = 'soak-mailer';
const SMTP_PASSWORD = 'S0ak/p@ss word&never-in-a-record';
const idOf = (i: number) => `soak-${String(i).padStart(5, '0')}`;
const ID_PATTERN = /soak-\d{5}/;
const EVENT_TYPES = ['alert.created', 'alert.escalated', 'alert.resolved', 'alert.stale'] as const;
const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;

type Kind = 'email' | 'webhook-a' | 'webhook-b';
const KINDS: readonly Kind[] = ['email', 'webhook-a', 'webhook-b'];

interface Organization {
  id: string;
  address: string;
  webhooks: Record<'a' | 'b', { url: string; path: string; token: string }>;
}

function organizations(port: number): Organization[] {
  const random = seededRandom(SEED);
  const token = () =>
    Array.from(
      { length: 24 },
      () => 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789'[Math.floor(random() * 57)],
    ).join('');
  return Array.from({ length: ORGANIZATIONS }, (_, k) => {
    const hook = (name: 'a' | 'b') => {
      const secret = token();
      const path = `/services/T${String(k).padStart(4, '0')}/B${name.toUpperCase()}${k}/${secret}`;
      return { url: `http://127.0.0.1:${port}${path}`, path, token: secret };
    };
    return {
      id: `org-${String(k).padStart(3, '0')}`,
      address: `oncall.${k}@org-${k}.example`,
      webhooks: { a: hook('a'), b: hook('b') },
    };
  });
}

function eventFor(i: number, orgs: Organization[]): AlertEventInput {
  const org = orgs[i % ORGANIZATIONS]!;
  const created = Date.UTC(2026, 10, 30, 8, 0, 0) + i * 1000;
  const at = (minutes: number) => new Date(created + minutes * 60_000).toISOString();
  const alert = {
    id: idOf(i),
    organizationId: org.id,
    title: `Disk almost full on db-${i % 7} [${idOf(i)}]`,
    description: `Volume /data at 9${i % 10}% (${idOf(i)})`,
    severity: SEVERITIES[i % SEVERITIES.length]!,
    category: 'system',
    createdAt: at(0),
    url: `https://app.pytake.example/alerts/${idOf(i)}`,
  };
  const type = EVENT_TYPES[Math.floor(i / ORGANIZATIONS) % EVENT_TYPES.length]!;
  switch (type) {
    case 'alert.created':
      return { type, alert, occurredAt: at(0) };
    case 'alert.escalated':
      return { type, alert, occurredAt: at(15), fromLevel: 1, toLevel: 2, reason: 'No acknowledgement' };
    case 'alert.resolved':
      return { type, alert, occurredAt: at(42), resolvedBy: 'Ana', resolutionNotes: 'Rotated logs' };
    case 'alert.stale':
      return { type, alert, occurredAt: at(600), lastActivityAt: at(30), currentOwner: 'Bruno' };
  }
}

interface Counts {
  notifications: number;
  delivered: number;
  partial: number;
  failed: number;
  failedByCode: Record<string, number>;
  /** Copies received beyond the first, for any notification. */
  extraCopies: number;
  /** Records that say failed although the server has the message. */
  reportedFailedButReceived: number;
  /** Accepted by notify(), never received, not reported failed. */
  lost: number;
  /** Notifications without any record (a rejected or unresolved notify(), or a missing record). */
  unrecorded: number;
  /** Copies that reached someone else's mailbox or webhook. */
  misrouted: number;
  other: number;
}

const emptyCounts = (): Counts => ({
  notifications: 0,
  delivered: 0,
  partial: 0,
  failed: 0,
  failedByCode: {},
  extraCopies: 0,
  reportedFailedButReceived: 0,
  lost: 0,
  unrecorded: 0,
  misrouted: 0,
  other: 0,
});

interface SoakResult {
  durationMs: number;
  settled: number;
  rejected: { event: string; error: string }[];
  records: DeliveryRecord[];
  counts: Record<'email' | 'slack' | 'total', Counts>;
  smtp: { transactions: number; faults: Record<string, number> };
  webhook: { requests: number; faults: Record<string, number> };
  /** Per organization id: its webhook URLs, paths (also without the leading slash, URL-encoded) and tokens, and its recipient address. */
  secrets: { webhook: Map<string, string[]>; password: string[]; addresses: Map<string, string[]> };
}

let smtp: FaultySmtpServer | undefined;
let hooks: FaultyWebhookServer | undefined;
let email: EmailChannel | undefined;
let result: SoakResult;

async function runSoak(): Promise<SoakResult> {
  smtp = await startFaultySmtpServer({
    seed: SEED,
    user: SMTP_USER,
    password: SMTP_PASSWORD,
    idPattern: ID_PATTERN,
  });
  hooks = await startFaultyWebhookServer({ seed: SEED, idPattern: ID_PATTERN });
  const orgs = organizations(hooks.port);
  const tenants: TenantConfigInput[] = orgs.map((org) => ({
    organizationId: org.id,
    organizationName: `Organization ${org.id}`,
    email: { to: [{ email: org.address, name: `On-call ${org.id}` }] },
    slack: {
      webhooks: [
        { url: org.webhooks.a.url, name: 'a' },
        { url: org.webhooks.b.url, name: 'b' },
      ],
    },
  }));

  // Short backoff (tens of milliseconds, seeded jitter) so that 3 attempts fit in the soak's time.
  // No fault here hangs, so a timeout could only measure the machine: with 200 notifications in
  // flight on one event loop, a loaded CI machine (load average 25 on 2 cores) queued requests for
  // more than 30 s and 2,448 of 6,000 deliveries failed as `timeout`. The timeouts are ceilings
  // far above that queueing, which a quiet run never comes near.
  const backoff = { baseDelayMs: 25, maxDelayMs: 250, random: seededRandom(SEED + 1) };
  email = createEmailChannel(
    {
      host: '127.0.0.1',
      port: smtp.port,
      useTls: false,
      user: SMTP_USER,
      password: SMTP_PASSWORD,
      fromEmail: 'alerts@pytake.example',
      timeoutSeconds: 300,
    },
    { retry: backoff },
  );
  const slack = createSlackWebhookChannel({
    allowedHosts: ['127.0.0.1'],
    timeoutMs: 300_000,
    retry: { ...backoff, random: seededRandom(SEED + 2), maxRetryAfterMs: 5_000 },
  });
  const notifier = createNotifier({
    directory: createStaticDirectory(tenants),
    deliveryTimeoutMs: 900_000,
    routes: {
      email: { channel: email, render: (event, tenant) => renderEmailForTenant(event, tenant) },
      slack: { channel: slack, render: (event, tenant) => renderSlackForTenant(event, tenant) },
    },
  });

  const events = Array.from({ length: EVENTS }, (_, i) => eventFor(i, orgs));
  const reports: (NotificationReport | undefined)[] = new Array(EVENTS);
  const rejected: SoakResult['rejected'] = [];
  let next = 0;
  let settled = 0;
  const started = performance.now();
  const workers = Array.from({ length: IN_FLIGHT }, async () => {
    while (next < events.length && performance.now() - started < DEADLINE_MS) {
      const i = next++;
      try {
        reports[i] = await notifier.notify(events[i]!);
      } catch (error) {
        rejected.push({ event: idOf(i), error: String(error) });
      } finally {
        settled++;
      }
    }
  });
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([
    Promise.all(workers),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, DEADLINE_MS);
    }),
  ]);
  clearTimeout(timer);
  const durationMs = Math.round(performance.now() - started);

  // What the servers hold, per notification.
  const emailCopies = new Map<string, { count: number; misrouted: number }>();
  const addressOf = new Map(orgs.map((o) => [o.id, o.address]));
  for (const mail of smtp.received) {
    const entry = emailCopies.get(mail.id) ?? { count: 0, misrouted: 0 };
    const org = orgs[Number(mail.id.slice(5)) % ORGANIZATIONS]!;
    if (mail.recipients.length === 1 && mail.recipients[0] === addressOf.get(org.id)) entry.count++;
    else entry.misrouted++;
    emailCopies.set(mail.id, entry);
  }
  const hookOwner = new Map<string, { org: string; name: 'a' | 'b' }>();
  for (const org of orgs)
    for (const name of ['a', 'b'] as const) hookOwner.set(org.webhooks[name].path, { org: org.id, name });
  const postCopies = new Map<string, { count: number; misrouted: number }>();
  for (const post of hooks.received) {
    const owner = hookOwner.get(post.path);
    const key = `${post.id} webhook-${owner?.name ?? '?'}`;
    const entry = postCopies.get(key) ?? { count: 0, misrouted: 0 };
    const expectedOrg = orgs[Number(post.id.slice(5)) % ORGANIZATIONS]!.id;
    if (owner && owner.org === expectedOrg) entry.count++;
    else entry.misrouted++;
    postCopies.set(key, entry);
  }

  const counts = { email: emptyCounts(), slack: emptyCounts(), total: emptyCounts() };
  const records: DeliveryRecord[] = [];
  for (let i = 0; i < EVENTS; i++) {
    const id = idOf(i);
    const report = reports[i];
    const recordOf = new Map<Kind, DeliveryRecord>();
    const slackRecords = (report?.records ?? []).filter((r) => r.channel === 'slack');
    for (const record of report?.records ?? []) {
      records.push(record);
      if (record.channel === 'email') recordOf.set('email', record);
    }
    slackRecords.forEach((record, index) => {
      // The display is `name (host/…tail)`; the order of the tenant's webhooks is the fallback.
      const name = record.target.startsWith('b (')
        ? 'b'
        : record.target.startsWith('a (')
          ? 'a'
          : index
            ? 'b'
            : 'a';
      recordOf.set(`webhook-${name}`, record);
    });
    for (const kind of KINDS) {
      const copies = (kind === 'email' ? emailCopies.get(id) : postCopies.get(`${id} ${kind}`)) ?? {
        count: 0,
        misrouted: 0,
      };
      const record = recordOf.get(kind);
      for (const c of [counts[kind === 'email' ? 'email' : 'slack'], counts.total]) {
        c.notifications++;
        c.extraCopies += Math.max(0, copies.count - 1);
        c.misrouted += copies.misrouted;
        if (!record) {
          c.unrecorded++;
          if (copies.count === 0) c.lost++;
        } else if (record.status === 'delivered' || record.status === 'partial') {
          c[record.status]++;
          if (copies.count === 0) c.lost++;
        } else if (record.status === 'failed') {
          c.failed++;
          const code = record.error?.code ?? '(none)';
          c.failedByCode[code] = (c.failedByCode[code] ?? 0) + 1;
          if (copies.count > 0) c.reportedFailedButReceived++;
        } else {
          // skipped or duplicate: every event here is new and routed, so either is unexpected, and
          // a "duplicate" that nobody received is an alert lost.
          c.other++;
          if (copies.count === 0) c.lost++;
        }
      }
    }
  }

  const webhookSecrets = new Map(
    orgs.map((o) => [
      o.id,
      (['a', 'b'] as const).flatMap((name) => {
        const { url, path, token } = o.webhooks[name];
        return [url, path, path.slice(1), encodeURIComponent(path), encodeURIComponent(path.slice(1)), token];
      }),
    ]),
  );
  return {
    durationMs,
    settled,
    rejected,
    records,
    counts,
    smtp: { transactions: smtp.transactions(), faults: { ...smtp.faults } },
    webhook: { requests: hooks.requests(), faults: { ...hooks.faults } },
    secrets: {
      webhook: webhookSecrets,
      password: [
        SMTP_PASSWORD,
        encodeURIComponent(SMTP_PASSWORD),
        Buffer.from(SMTP_PASSWORD).toString('base64'),
      ],
      addresses: new Map(orgs.map((o) => [o.id, [o.address]])),
    },
  };
}

function printCounts(r: SoakResult): void {
  const row = (name: string, c: Counts) => ({
    channel: name,
    notifications: c.notifications,
    delivered: c.delivered,
    partial: c.partial,
    failed: c.failed,
    'failed by code': Object.entries(c.failedByCode)
      .map(([code, n]) => `${code} ${n}`)
      .join(', '),
    'extra copies': c.extraCopies,
    'reported failed, received': c.reportedFailedButReceived,
    lost: c.lost,
    unrecorded: c.unrecorded,
    misrouted: c.misrouted,
    other: c.other,
  });
  const sum = (faults: Record<string, number>) => Object.values(faults).reduce((a, b) => a + b, 0);
  console.log(
    `soak (seed ${SEED}): ${EVENTS} events to ${ORGANIZATIONS} organizations, ${r.settled} settled, ` +
      `${r.rejected.length} rejected, in ${(r.durationMs / 1000).toFixed(1)} s`,
  );
  console.table([row('email', r.counts.email), row('slack', r.counts.slack), row('total', r.counts.total)]);
  console.log(
    `SMTP: ${r.smtp.transactions} transactions, ${sum(r.smtp.faults)} faulted ` +
      `(${JSON.stringify(r.smtp.faults)}); webhooks: ${r.webhook.requests} requests, ` +
      `${sum(r.webhook.faults)} faulted (${JSON.stringify(r.webhook.faults)})`,
  );
  mkdirSync('test-results', { recursive: true });
  if (process.env.SOAK_DUMP) writeFileSync('test-results/soak-records.json', JSON.stringify(r.records));
  writeFileSync(
    'test-results/soak-counts.json',
    `${JSON.stringify({ seed: SEED, events: EVENTS, organizations: ORGANIZATIONS, ...r, records: undefined, secrets: undefined }, null, 2)}\n`,
  );
}

/**
 * The secrets that occur in any record, with an example record for each (at most 5). `secretsOf`
 * gives the secrets to look for in one record: its organization's, since the record names it.
 */
function leaks(records: DeliveryRecord[], secretsOf: (record: DeliveryRecord) => string[]) {
  const found = new Map<string, { fields: string[]; record: string }>();
  for (const record of records) {
    // Lower-cased: a server that echoes a path upper-cased must not slip past the check.
    const json = JSON.stringify(record);
    const text = json.toLowerCase();
    for (const secret of secretsOf(record)) {
      const low = secret.toLowerCase();
      if (found.has(secret) || !text.includes(low)) continue;
      // Which fields carry it, so that the failure says where to look (`target`, `error`, ...).
      const fields = Object.entries(record)
        .filter(([, value]) => JSON.stringify(value)?.toLowerCase().includes(low))
        .map(([key]) => key);
      found.set(secret, { fields, record: json });
    }
  }
  return [...found].slice(0, 5).map(([secret, where]) => ({ secret, ...where }));
}

describe(`soak: ${EVENTS} events to ${ORGANIZATIONS} organizations against servers that fault ~20%`, () => {
  beforeAll(async () => {
    result = await runSoak();
    printCounts(result);
  }, DEADLINE_MS + 60_000);

  afterAll(async () => {
    email?.close();
    await smtp?.close();
    await hooks?.close();
  });

  it('settles every notify() within the deadline, and none rejects', () => {
    expect(result.rejected).toEqual([]);
    expect(result.settled).toBe(EVENTS);
  });

  it('faults about 20% of the interactions of each server (the soak tests something)', () => {
    const share = (faults: Record<string, number>, total: number) =>
      Object.values(faults).reduce((a, b) => a + b, 0) / total;
    expect(share(result.smtp.faults, result.smtp.transactions)).toBeGreaterThan(0.1);
    expect(share(result.smtp.faults, result.smtp.transactions)).toBeLessThan(0.3);
    expect(share(result.webhook.faults, result.webhook.requests)).toBeGreaterThan(0.1);
    expect(share(result.webhook.faults, result.webhook.requests)).toBeLessThan(0.3);
    for (const n of [...Object.values(result.smtp.faults), ...Object.values(result.webhook.faults)])
      expect(n).toBeGreaterThan(0);
  });

  it('gives every notification a record, and delivers most of them', () => {
    expect(result.counts.total.unrecorded).toBe(0);
    expect(result.counts.total.other).toBe(0);
    expect(result.counts.total.delivered).toBeGreaterThan(0.9 * result.counts.total.notifications);
  });

  it('loses no notification: lost = 0', () => {
    expect(result.counts.email.lost).toBe(0);
    expect(result.counts.slack.lost).toBe(0);
  });

  it('sends no copy to the wrong mailbox or webhook', () => {
    expect(result.counts.total.misrouted).toBe(0);
  });

  it('puts no webhook URL, path or token in any record', () => {
    expect(leaks(result.records, (r) => result.secrets.webhook.get(r.organizationId) ?? [])).toEqual([]);
  });

  it('puts no SMTP password in any record', () => {
    expect(leaks(result.records, () => result.secrets.password)).toEqual([]);
  });

  it('puts no recipient address in any record', () => {
    expect(leaks(result.records, (r) => result.secrets.addresses.get(r.organizationId) ?? [])).toEqual([]);
  });
});
