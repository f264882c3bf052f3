import type { ClientRequest } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { blockActionsBody, slackHeaders } from '../testing/slack-signing.js';
import type { CapturedEmail } from './outbox.js';
import { startSmtpCapture } from './smtp-capture.js';
import { type RunningPreview, startPreview } from './start-preview.js';

const SECRET = 'test-signing-secret-8f3a9c';
let preview: RunningPreview;
let base: string;

const get = (path: string) => fetch(`${base}${path}`);
const post = (path: string, body: string | object, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const fixture = async (name: string) =>
  (await (await get(`/api/fixtures/${name}`)).json()) as Record<string, unknown>;

beforeAll(async () => {
  preview = await startPreview({ port: 0, smtpPort: 0, env: { SLACK_SIGNING_SECRET: SECRET } });
  base = preview.url;
});
afterAll(() => preview?.close());

describe('preview server', () => {
  describe('GET /api/fixtures', () => {
    it('lists every fixture with what a gallery card shows', async () => {
      const response = await get('/api/fixtures');
      expect(response.status).toBe(200);
      const list = (await response.json()) as { name: string; type: string; severity: string }[];
      expect(list.length).toBeGreaterThanOrEqual(16);
      expect(list.map((f) => f.name)).toContain('created-critical');
      expect(list.find((f) => f.name === 'escalated-admin')).toMatchObject({ type: 'alert.escalated' });
    });

    it('returns one fixture event by name', async () => {
      const event = await fixture('created-critical');
      expect(event).toMatchObject({ type: 'alert.created', alert: { severity: 'critical' } });
    });

    it('answers an unknown fixture with 404 naming it', async () => {
      const response = await get('/api/fixtures/no-such-thing');
      expect(response.status).toBe(404);
      expect(await response.json()).toEqual({
        error: { code: 'not_found', message: expect.stringContaining('"no-such-thing"') },
      });
    });
  });

  describe('POST /api/render', () => {
    it('renders the email and the Slack message of an event', async () => {
      const response = await post('/api/render', { event: await fixture('created-critical') });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        email: { subject: string; html: string; text: string };
        slack: unknown;
      };
      expect(body.email.subject).toContain('🚨');
      expect(body.email.html).toContain('<html');
      expect(body.email.text.length).toBeGreaterThan(20);
      expect(JSON.stringify(body.slack)).toContain('alert.acknowledge');
    });

    it('renders in pt-BR when asked', async () => {
      const event = await fixture('created-critical');
      const en = (await (await post('/api/render', { event, locale: 'en' })).json()) as {
        email: { subject: string };
      };
      const pt = (await (await post('/api/render', { event, locale: 'pt-BR' })).json()) as {
        email: { subject: string };
      };
      expect(pt.email.subject).not.toBe(en.email.subject);
    });

    it('answers bad JSON with 400 and the parser message', async () => {
      const response = await post('/api/render', '{"event": ');
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { code: string; message: string } };
      expect(error.code).toBe('bad_json');
      expect(error.message).toMatch(/^Request body is not valid JSON: /);
    });

    it('answers an empty body and a body without an event with 400', async () => {
      expect((await post('/api/render', '')).status).toBe(400);
      const response = await post('/api/render', { locale: 'en' });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({
        error: { code: 'validation', issues: [{ path: 'event' }] },
      });
    });

    it('answers an invalid event with every bad field by path', async () => {
      const event = await fixture('created-critical');
      const broken = { ...event, alert: { ...(event.alert as object), severity: 'urgent', title: '' } };
      const response = await post('/api/render', { event: broken });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as {
        error: { code: string; issues: { path: string; message: string }[] };
      };
      expect(error.code).toBe('validation');
      expect(error.issues).toEqual(
        expect.arrayContaining([
          { path: 'alert.severity', message: expect.stringContaining('"urgent"') },
          { path: 'alert.title', message: expect.stringContaining('at least 1') },
        ]),
      );
    });

    it('answers a bad locale or time zone with 400 naming the option', async () => {
      const event = await fixture('created-critical');
      const response = await post('/api/render', { event, locale: 'fr', timeZone: 'Mars/Olympus' });
      expect(response.status).toBe(400);
      const { error } = (await response.json()) as { error: { issues: { path: string }[] } };
      expect(error.issues.map((i) => i.path).sort()).toEqual(['locale', 'timeZone']);
    });

    it('answers an oversize body with 413 and keeps serving', async () => {
      const response = await post('/api/render', { event: { padding: 'x'.repeat(200 * 1024) } });
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ error: { code: 'too_large' } });
      expect((await get('/api/fixtures')).status).toBe(200);
    });
  });

  describe('POST /api/compat', () => {
    it("lists what each client family does not support in the event's email", async () => {
      const response = await post('/api/compat', { event: await fixture('created-critical') });
      expect(response.status).toBe(200);
      const { families } = (await response.json()) as {
        families: { family: string; unsupported: { feature: string; clients: string[] }[] }[];
      };
      expect(families.map((f) => f.family)).toEqual(['Gmail', 'Outlook', 'Apple Mail', 'Yahoo']);
      const outlook = families.find((f) => f.family === 'Outlook')!;
      expect(outlook.unsupported).toContainEqual(
        expect.objectContaining({
          feature: 'border-radius',
          clients: ['outlook.windows', 'outlook.windows-mail'],
        }),
      );
    });

    it('answers an invalid event with 400 by path', async () => {
      const event = { ...(await fixture('created-critical')), type: 'alert.nope' };
      const response = await post('/api/compat', { event });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('validation');
    });
  });

  describe('POST /api/send', () => {
    it('delivers through the real channels to the embedded SMTP server and webhook', async () => {
      await fetch(`${base}/api/outbox`, {
        method: 'DELETE',
        headers: { 'content-type': 'application/json' },
      });
      const event = await fixture('escalated-admin');
      const response = await post('/api/send', { event, locale: 'pt-BR' });
      expect(response.status).toBe(200);
      const report = (await response.json()) as {
        summary: Record<string, number>;
        records: { channel: string }[];
      };
      expect(report.summary).toEqual({
        delivered: 2,
        partial: 0,
        failed: 0,
        skipped: 0,
        duplicate: 0,
        digested: 0,
      });

      const outbox = (await (await get('/api/outbox')).json()) as ({ kind: string } & Record<
        string,
        unknown
      >)[];
      expect(outbox.map((e) => e.kind).sort()).toEqual(['email', 'slack']);
      const email = outbox.find((e) => e.kind === 'email') as unknown as CapturedEmail;
      expect(email.envelope.to).toEqual(['designer@preview.local']);
      expect(email.subject).toContain('Admin');
      expect(email.html).toContain('<html');
      expect(email.text).toBeTruthy();
      expect(email.messageId).toMatch(/^<.+@.+>$/);

      const deliveries = (await (await get('/api/deliveries')).json()) as {
        status: string;
        attempts: number;
      }[];
      expect(deliveries.slice(0, 2)).toEqual([
        expect.objectContaining({ status: 'delivered', attempts: 1 }),
        expect.objectContaining({ status: 'delivered', attempts: 1 }),
      ]);
    });

    it('sends the same event again (a preview has no duplicate suppression)', async () => {
      const event = await fixture('created-low');
      await post('/api/send', { event });
      const again = (await (await post('/api/send', { event })).json()) as {
        summary: Record<string, number>;
      };
      expect(again.summary.delivered).toBe(2);
    });

    it('answers an invalid event with 400 and sends nothing', async () => {
      const before = ((await (await get('/api/deliveries')).json()) as unknown[]).length;
      const response = await post('/api/send', { event: { type: 'alert.created' } });
      expect(response.status).toBe(400);
      expect(((await (await get('/api/deliveries')).json()) as unknown[]).length).toBe(before);
    });
  });

  describe('POST /api/send to targets typed in the UI', () => {
    // hooks.slack.com is reached through an agent that connects to this preview's own receiver (plain
    // http on loopback) under its remote path, so the typed webhook goes through the real channel (and
    // its SSRF rules) without leaving the machine.
    let typed: RunningPreview;
    const slackAgent = new (class extends HttpsAgent {
      override createConnection() {
        const { hostname, port } = new URL(typed.url);
        return connect(Number(port), hostname);
      }
      // Every node:http request reaches its agent here, before its head is written.
      addRequest(request: ClientRequest, options: unknown) {
        request.path = `/hooks/slack/remote${request.path}`;
        (
          HttpsAgent.prototype as unknown as { addRequest: (r: ClientRequest, o: unknown) => void }
        ).addRequest.call(this, request, options);
      }
    })();
    const address = 'ana.real.person@example.org';
    const webhook = 'https://hooks.slack.com/services/T0TYPED/B0TYPED/typedsecret8d1c';
    const send = (body: object) =>
      fetch(`${typed.url}/api/send`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const outboxOf = async () =>
      (await (await fetch(`${typed.url}/api/outbox`)).json()) as ({ kind: string } & Record<
        string,
        unknown
      >)[];

    beforeAll(async () => {
      typed = await startPreview({
        port: 0,
        smtpPort: 0,
        env: { SLACK_SIGNING_SECRET: SECRET },
        slackAgent,
        // The agent's requests still name hooks.slack.com in their Host header.
        allowedHosts: ['hooks.slack.com'],
      });
    });
    afterAll(() => typed?.close());

    it('delivers to a typed address and hooks.slack.com webhook, and never logs or records either', async () => {
      const printed: string[] = [];
      const spies = (['log', 'info', 'warn', 'error'] as const).map((level) =>
        vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
          printed.push(args.map(String).join(' '));
        }),
      );
      try {
        const event = await fixture('created-critical');
        const response = await send({ event, to: ` ${address} `, webhookUrl: webhook });
        const answer = await response.text();
        expect(response.status).toBe(200);
        expect(JSON.parse(answer).summary.delivered).toBe(2);

        const outbox = await outboxOf();
        const email = outbox.find((e) => e.kind === 'email') as unknown as CapturedEmail;
        expect(email.envelope.to).toEqual([address]);
        const slack = outbox.find((e) => e.kind === 'slack')!;
        expect(String(slack.webhook)).toMatch(/\/…8d1c$/);

        const deliveries = await (await fetch(`${typed.url}/api/deliveries`)).text();
        expect(deliveries).toContain('a…@example.org');
        expect(deliveries).toContain('hooks.slack.com/…8d1c');
        const metrics = await (await fetch(`${typed.url}/metrics`)).text();
        for (const text of [answer, deliveries, metrics, printed.join('\n')]) {
          expect(text).not.toContain(address);
          expect(text).not.toContain('typedsecret');
        }
      } finally {
        for (const spy of spies) spy.mockRestore();
      }
    });

    it("accepts the preview's own embedded receiver as a typed webhook", async () => {
      await fetch(`${typed.url}/api/outbox`, {
        method: 'DELETE',
        headers: { 'content-type': 'application/json' },
      });
      const response = await send({
        event: await fixture('created-low'),
        webhookUrl: `${typed.url}/hooks/slack/T1/B1/mine`,
      });
      expect(response.status).toBe(200);
      expect(((await response.json()) as { summary: { delivered: number } }).summary.delivered).toBe(2);
      expect((await outboxOf()).filter((e) => e.kind === 'slack')).toHaveLength(1);
    });

    it('refuses what the Slack channel would refuse, naming the field and echoing no value', async () => {
      await fetch(`${typed.url}/api/outbox`, {
        method: 'DELETE',
        headers: { 'content-type': 'application/json' },
      });
      const event = await fixture('created-critical');
      const refused = [
        { to: 'not-an-addr3ss' },
        { to: 42 },
        { webhookUrl: 'http://127.0.0.1:6379/secretpath1' },
        { webhookUrl: `${typed.url}/api/secretpath1` },
        { webhookUrl: 'https://hooks.slack.com.evil.example/services/secretpath1' },
        { webhookUrl: 'https://user:pw@hooks.slack.com/services/secretpath1' },
        { webhookUrl: 'https://hooks.slack.com:8443/services/secretpath1' },
        { webhookUrl: 'https://hooks.slack.com/api/secretpath1' },
        { webhookUrl: 'file:///etc/secretpath1' },
        { webhookUrl: 'not a url secretpath1' },
      ];
      for (const targets of refused) {
        const response = await send({ event, ...targets });
        const text = await response.text();
        const field = Object.keys(targets)[0]!;
        expect({ targets, status: response.status }).toEqual({ targets, status: 400 });
        expect(JSON.parse(text).error).toMatchObject({
          code: 'validation',
          message: 'Invalid send targets',
          issues: [{ path: field, message: expect.any(String) }],
        });
        expect(text).not.toContain('secretpath1');
        expect(text).not.toContain('not-an-addr3ss');
      }
      // Both fields at once: both named.
      const both = await send({ event, to: 'x', webhookUrl: 'http://10.0.0.1/x' });
      expect(
        ((await both.json()) as { error: { issues: { path: string }[] } }).error.issues.map((i) => i.path),
      ).toEqual(['to', 'webhookUrl']);
      expect(await outboxOf()).toEqual([]);
    });
  });

  describe('GET /api/live', () => {
    it('streams each delivery record as a server-sent event', async () => {
      const controller = new AbortController();
      const response = await fetch(`${base}/api/live`, { signal: controller.signal });
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let received = '';
      const first = await reader.read();
      received += first.value ?? '';
      expect(received).toContain('event: hello');

      await post('/api/send', { event: await fixture('resolved-high') });
      while (!(received.match(/event: delivery/g)?.length === 2)) {
        const { value, done } = await reader.read();
        if (done) break;
        received += value;
      }
      controller.abort();
      expect(received).toMatch(/event: delivery\ndata: \{.*"status":"delivered"/);
      expect(received).toContain('event: outbox');
    });
  });

  describe('GET /metrics', () => {
    it('exports delivery counters, attempts and duration in Prometheus format', async () => {
      const response = await get('/metrics');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      expect(text).toMatch(/notify_deliveries_total\{channel="email",status="delivered"\} [1-9]/);
      expect(text).toContain('notify_deliveries_total{channel="slack",status="failed"} 0');
      expect(text).toMatch(/notify_delivery_attempts_bucket\{le="1",channel="email"\} [1-9]/);
      expect(text).toContain('notify_delivery_duration_seconds_count{channel="slack",status="delivered"}');
    });

    it('keeps a registry per app, so two previews run in one process', async () => {
      const other = await startPreview({ port: 0, smtpPort: 0, env: {} });
      try {
        const text = await (await fetch(`${other.url}/metrics`)).text();
        expect(text).toContain('notify_deliveries_total{channel="email",status="delivered"} 0');
      } finally {
        await other.close();
      }
    });
  });

  describe('GET /api/stats', () => {
    it('shows the same counts as /metrics', async () => {
      const stats = (await (await get('/api/stats')).json()) as {
        counts: Record<string, Record<string, number>>;
      };
      const text = await (await get('/metrics')).text();
      const metric = Number(
        text.match(/notify_deliveries_total\{channel="email",status="delivered"\} (\d+)/)?.[1],
      );
      expect(stats.counts.email?.delivered).toBe(metric);
    });
  });

  describe('POST /hooks/slack/*', () => {
    const hook = '/hooks/slack/T0PREVIEW/B0PREVIEW/preview-webhook';

    it('answers ok and captures the payload, as Slack does', async () => {
      const response = await post(hook, { text: 'hello from a test' });
      expect(response.status).toBe(200);
      expect(await response.text()).toBe('ok');
      const outbox = (await (await get('/api/outbox')).json()) as { payload: { text?: string } }[];
      expect(outbox[0]?.payload.text).toBe('hello from a test');
    });

    it('answers invalid_payload and no_text the way Slack does', async () => {
      const bad = await post(hook, 'not json');
      expect([bad.status, await bad.text()]).toEqual([400, 'invalid_payload']);
      const empty = await post(hook, {});
      expect([empty.status, await empty.text()]).toEqual([400, 'no_text']);
    });
  });

  describe('POST /slack/actions', () => {
    const alertId = 'alrt_test_42';

    it('applies a signed Acknowledge, Assign and Resolve to the alert', async () => {
      for (const action of ['alert.acknowledge', 'alert.assign', 'alert.resolve']) {
        const body = blockActionsBody(action, alertId);
        const response = await post('/slack/actions', body, slackHeaders(SECRET, body));
        expect(response.status).toBe(200);
      }
      const alerts = (await (await get('/api/alerts')).json()) as { alertId: string; status: string }[];
      expect(alerts.find((a) => a.alertId === alertId)).toMatchObject({
        status: 'resolved',
        acknowledgedBy: 'ana',
        resolvedBy: 'ana',
        assignee: expect.any(String),
      });
    });

    it('rejects an unsigned request with 401', async () => {
      const body = blockActionsBody('alert.acknowledge', 'alrt_unsigned');
      const response = await post('/slack/actions', body, {
        'content-type': 'application/x-www-form-urlencoded',
      });
      expect(response.status).toBe(401);
      const alerts = (await (await get('/api/alerts')).json()) as { alertId: string }[];
      expect(alerts.some((a) => a.alertId === 'alrt_unsigned')).toBe(false);
    });

    it('rejects a stale timestamp, a wrong secret and a tampered body with 401', async () => {
      const body = blockActionsBody('alert.resolve', 'alrt_forged');
      const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;
      const stale = await post('/slack/actions', body, slackHeaders(SECRET, body, tenMinutesAgo));
      const wrong = await post('/slack/actions', body, slackHeaders('not-the-secret', body));
      const tampered = await post(
        '/slack/actions',
        body.replace('forged', 'other'),
        slackHeaders(SECRET, body),
      );
      expect([stale.status, wrong.status, tampered.status]).toEqual([401, 401, 401]);
    });

    it('answers a signed request that is not one of our buttons with 400', async () => {
      const body = 'payload=%7B%22type%22%3A%22view_submission%22%7D';
      const response = await post('/slack/actions', body, slackHeaders(SECRET, body));
      expect(response.status).toBe(400);
    });
  });

  describe('POST /api/slack/click', () => {
    it('presses a button through the signed interactivity endpoint', async () => {
      const response = await post('/api/slack/click', {
        actionId: 'alert.acknowledge',
        value: 'alrt_clicked',
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({ alertId: 'alrt_clicked', status: 'acknowledged' });
    });

    it('answers a click without an action id with 400', async () => {
      expect((await post('/api/slack/click', { value: 'x' })).status).toBe(400);
    });
  });

  describe('secrets', () => {
    it('never shows a configured signing secret, in any answer', async () => {
      const config = (await (await get('/api/config')).json()) as { signingSecret: unknown };
      expect(config.signingSecret).toBeNull();
      for (const path of [
        '/api/config',
        '/api/deliveries',
        '/api/outbox',
        '/api/alerts',
        '/api/stats',
        '/metrics',
        '/',
      ]) {
        expect(await (await get(path)).text()).not.toContain(SECRET);
      }
    });

    it('shows a generated dev secret so designers can sign test requests', async () => {
      const other = await startPreview({ port: 0, smtpPort: 0, env: {} });
      try {
        const config = (await (await fetch(`${other.url}/api/config`)).json()) as { signingSecret: string };
        expect(config.signingSecret).toBe(other.signingSecret);
        const body = blockActionsBody('alert.acknowledge', 'alrt_dev');
        const response = await fetch(`${other.url}/slack/actions`, {
          method: 'POST',
          headers: slackHeaders(config.signingSecret, body),
          body,
        });
        expect(response.status).toBe(200);
      } finally {
        await other.close();
      }
    });
  });

  describe('SMTP_HOST set', () => {
    it('sends email to that server instead of the embedded one', async () => {
      const received: CapturedEmail[] = [];
      const real = await startSmtpCapture({ host: '127.0.0.1', port: 0, onMessage: (m) => received.push(m) });
      const other = await startPreview({
        port: 0,
        smtpPort: 0,
        env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: String(real.port), SMTP_USE_TLS: 'false' },
      });
      try {
        expect(other.smtpPort).toBeUndefined();
        const event = await fixture('stale-9-days');
        const response = await fetch(`${other.url}/api/send`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ event }),
        });
        expect(((await response.json()) as { summary: { delivered: number } }).summary.delivered).toBe(2);
        expect(received).toHaveLength(1);
        const outbox = (await (await fetch(`${other.url}/api/outbox`)).json()) as { kind: string }[];
        expect(outbox.map((e) => e.kind)).toEqual(['slack']);
      } finally {
        await other.close();
        await real.close();
      }
    });
  });

  describe('configuration', () => {
    it('rejects bad SMTP settings with a ConfigError that names them and hides the password', async () => {
      const error = (await startPreview({
        port: 0,
        env: { SMTP_HOST: '127.0.0.1', SMTP_PORT: 'abc', SMTP_USER: 'u', SMTP_PASSWORD: 'hunter2-secret' },
      }).then(
        () => new Error('expected startPreview to reject'),
        (e: unknown) => e,
      )) as Error & { code?: string };
      expect(error).toMatchObject({ code: 'config', message: expect.stringContaining('SMTP_PORT') });
      expect(error.message).not.toContain('hunter2-secret');
    });

    it('frees the SMTP capture port when a later setting is bad', async () => {
      const probe = await startSmtpCapture({ host: '127.0.0.1', port: 0, onMessage: () => {} });
      const { port } = probe;
      await probe.close();
      await expect(
        startPreview({ port: 0, smtpPort: port, env: { SLACK_TIMEOUT_SECONDS: 'soon' } }),
      ).rejects.toMatchObject({ code: 'config' });
      const again = await startSmtpCapture({ host: '127.0.0.1', port, onMessage: () => {} });
      await again.close();
    });

    it('skips Slack in sends when SLACK_ENABLED is false', async () => {
      const other = await startPreview({ port: 0, smtpPort: 0, env: { SLACK_ENABLED: 'false' } });
      try {
        const event = await fixture('created-low');
        const response = await fetch(`${other.url}/api/send`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ event }),
        });
        const report = (await response.json()) as { summary: Record<string, number> };
        expect(report.summary).toMatchObject({ delivered: 1, skipped: 1 });
        const outbox = (await (await fetch(`${other.url}/api/outbox`)).json()) as { kind: string }[];
        expect(outbox.map((e) => e.kind)).toEqual(['email']);
      } finally {
        await other.close();
      }
    });

    it('shows a real SLACK_WEBHOOK_URL only redacted', async () => {
      const url = 'https://hooks.slack.com/services/T000/B000/SECRETPATHa1b2';
      const other = await startPreview({ port: 0, smtpPort: 0, env: { SLACK_WEBHOOK_URL: url } });
      try {
        const config = (await (await fetch(`${other.url}/api/config`)).json()) as {
          destinations: { slack: string };
        };
        expect(config.destinations.slack).toBe('hooks.slack.com/…a1b2');
        for (const path of ['/api/config', '/api/deliveries', '/api/outbox', '/metrics']) {
          expect(await (await fetch(`${other.url}${path}`)).text()).not.toContain('SECRETPATH');
        }
      } finally {
        await other.close();
      }
    });
  });

  describe('unknown routes', () => {
    it('answers an unknown API path with a JSON 404', async () => {
      const response = await get('/api/nope');
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'not_found' } });
    });
  });
});
