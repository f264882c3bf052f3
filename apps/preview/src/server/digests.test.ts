import { SLACK_LIMITS } from '@pytake/notify-slack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TargetEntry } from './alert-store.js';
import { digestFixtureSizes } from './digest-fixtures.js';
import type { SlackSize } from './slack-size.js';
import { type RunningPreview, startPreview } from './start-preview.js';

let preview: RunningPreview;
let base: string;

const get = async <T>(path: string) => (await fetch(`${base}${path}`)).json() as Promise<T>;
const post = (path: string, body: object) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

interface Rendered {
  email: { subject: string; html: string; text: string };
  slack: { blocks?: unknown[]; attachments?: { blocks?: unknown[] }[] };
  slackSize: SlackSize;
}
interface Record {
  alertId: string;
  channel: string;
  status: string;
  digestId?: string;
}

beforeAll(async () => {
  preview = await startPreview({
    port: 0,
    smtpPort: 0,
    env: { SLACK_SIGNING_SECRET: 'test-secret-digests' },
  });
  base = preview.url;
});
afterAll(() => preview?.close());

describe('storm digests in the preview', () => {
  describe('the gallery', () => {
    it('lists a digest of 2, 12, 60 and 2,000 alerts, each opening as its digest request', async () => {
      const list = await get<{ name: string; kind: string; type: string }[]>('/api/fixtures');
      const digests = list.filter((f) => f.kind === 'digest');
      expect(digests.map((f) => f.name)).toEqual(['digest-2', 'digest-12', 'digest-60', 'digest-2000']);
      expect(digests.every((f) => f.type === 'digest')).toBe(true);
      expect(await get('/api/fixtures/digest-60')).toEqual({ digest: { count: 60 } });
    });

    for (const count of digestFixtureSizes) {
      for (const locale of ['en', 'pt-BR'] as const) {
        it(`renders the digest of ${count} alerts in ${locale}, within Slack's limits and 100 KB of email`, async () => {
          const response = await post('/api/render', { digest: { count }, locale, timeZone: 'Asia/Tokyo' });
          expect(response.status).toBe(200);
          const body = (await response.json()) as Rendered;
          const shown = count.toLocaleString(locale);
          expect(body.email.subject).toContain(shown);
          expect(body.email.html).toContain('<html');
          expect(body.email.text).toContain(shown);
          expect(Buffer.byteLength(body.email.html)).toBeLessThan(100 * 1024);
          expect(JSON.stringify(body.slack)).toContain(shown);
          // Counted again here, not only as the panel says.
          const blocks = [
            ...(body.slack.blocks ?? []),
            ...(body.slack.attachments ?? []).flatMap((a) => a.blocks ?? []),
          ];
          expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
          expect(body.slackSize.blocks.used).toBe(blocks.length);
          expect(body.slackSize.blockText.used).toBeGreaterThan(0);
          expect(body.slackSize.blockText.used).toBeLessThanOrEqual(SLACK_LIMITS.blockText);
          expect(body.slackSize.ok).toBe(true);
        });
      }
    }

    it('checks client support of a digest email', async () => {
      const response = await post('/api/compat', { digest: { count: 12 } });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { families: unknown[] }).families.length).toBeGreaterThan(0);
    });

    it('answers a digest size out of range with 400 naming digest.count', async () => {
      for (const count of [0, 2001, 1.5, '60']) {
        const response = await post('/api/render', { digest: { count } });
        expect(response.status).toBe(400);
        const { error } = (await response.json()) as { error: { code: string; issues: { path: string }[] } };
        expect(error).toMatchObject({ code: 'validation', issues: [{ path: 'digest.count' }] });
      }
    });
  });

  describe('Send test of a digest: a burst the notifier folds', () => {
    it('sends the first alerts alone, folds the rest, then delivers the digest to every target', async () => {
      const response = await post('/api/send', { digest: { count: 12 } });
      expect(response.status).toBe(200);
      const report = (await response.json()) as {
        burst: number;
        records: Record[];
        summary: { [k: string]: number };
      };
      expect(report.burst).toBe(12);
      const digested = report.records.filter((r) => r.status === 'digested');
      // Past the threshold (10 events to a target), alerts below critical are folded; critical ones still go alone.
      expect(digested.length).toBeGreaterThan(0);
      expect(report.summary.digested).toBe(digested.length);
      const digestIds = new Set(digested.map((r) => r.digestId));
      expect(digestIds.size).toBe(2); // one per target: the email and the webhook
      expect([...digestIds].every((id) => typeof id === 'string' && id.length > 0)).toBe(true);

      // When the storm's interval ends, each folded event gets the digest's own delivery record.
      await expect
        .poll(
          async () =>
            (await get<Record[]>('/api/deliveries')).filter(
              (r) => r.status === 'delivered' && digestIds.has(r.digestId),
            ).length,
          { timeout: 120_000 },
        )
        .toBe(digested.length);
      const outbox = await get<{ kind: string; subject?: string; alertId?: string }[]>('/api/outbox');
      expect(
        outbox.some((e) => e.kind === 'email' && /alert/i.test(e.subject ?? '') && e.subject?.includes(':')),
      ).toBe(true);
      expect(outbox.some((e) => e.kind === 'slack' && e.alertId === undefined)).toBe(true);

      // The console: the folded event's target says which digest delivered it.
      const folded = digested[0]!;
      const alert = await get<{ timeline: { targets: TargetEntry[] }[] }>(`/api/alerts/${folded.alertId}`);
      const target = alert.timeline.at(-1)!.targets.find((t) => t.channel === folded.channel);
      expect(target).toMatchObject({ state: 'delivered', digestId: folded.digestId });
    });

    it('sends the held digests when the app closes', async () => {
      const other = await startPreview({
        port: 0,
        smtpPort: 0,
        env: { SLACK_SIGNING_SECRET: 'test-secret-close' },
      });
      const response = await fetch(`${other.url}/api/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ digest: { count: 12 } }),
      });
      const report = (await response.json()) as { records: Record[] };
      const folded = report.records.find((r) => r.status === 'digested')!;
      await other.close();
      const target = other.preview.alerts
        .get(folded.alertId)!
        .timeline.at(-1)!
        .targets.find((t) => t.channel === folded.channel);
      expect(target).toMatchObject({ state: 'delivered', digestId: folded.digestId });
    });
  });
});
