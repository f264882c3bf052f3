import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import {
  ACTION_KINDS,
  type ActionKind,
  createInProcessSource,
  createRedisSource,
  type OperatorConsole,
} from '@pytake/notify-console';
import {
  type AlertDigest,
  type AlertEvent,
  type Channel,
  createDeliveryStats,
  createNotifier,
  type DeliveryRecord,
  type EmailDelivery,
  isNotifyError,
  type NotificationReport,
  type Notifier,
  parseAlertEvent,
  type RenderContext,
  redactAddress,
  redactSecrets,
  type SlackDelivery,
  type TenantConfig,
  type ValidationError,
} from '@pytake/notify-core';
import {
  createSlackApiChannel,
  createSlackWebhookChannel,
  type SlackApiChannel,
  type SlackMessage,
} from '@pytake/notify-slack';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { alertRoutes } from './alert-routes.js';
import { type AlertStore, alertStoreDefaults, createAlertStore } from './alert-store.js';
import { allowedHostsGuard, parseAllowedHosts } from './allowed-hosts.js';
import { ApiError } from './api-error.js';
import { createBoundedList } from './bounded-list.js';
import { createBoundedMap } from './bounded-map.js';
import { previewDefaults } from './defaults.js';
import { digestOf } from './digest-fixtures.js';
import { createLiveEvents, type LiveEvents } from './live-events.js';
import { createLiveReplay, type LiveReplay } from './live-replay.js';
import { liveStream } from './live-stream.js';
import { logRoutes } from './log-routes.js';
import { createMessageUpdater } from './message-updates.js';
import { createPreviewMetrics } from './metrics.js';
import { createOutbox, type Outbox, type OutboxEntry } from './outbox.js';
import { consoleRoutes, createPreviewConsole } from './preview-console.js';
import { type PreviewTemplates, packageTemplates } from './preview-templates.js';
import { previewTenant } from './preview-tenant.js';
import type { QueueMode } from './queue-mode.js';
import { queueRoutes } from './queue-routes.js';
import { readJson } from './read-json.js';
import { type PreviewSubject, previewRoutes } from './render-preview.js';
import { renderRoutes } from './render-routes.js';
import { parseSendTargets, type SendTargets } from './send-targets.js';
import { slackActionsRoutes } from './slack-actions.js';
import { slackReceiverRoutes } from './slack-receiver.js';
import { renderAlertMessage, renderUpdatedMessage } from './updated-message.js';
import { jsonWrites, sameOriginWrites } from './write-guards.js';

export interface PreviewAppOptions {
  /** The email channel sends go through: to the embedded SMTP capture or a real server. */
  email: Channel<EmailDelivery>;
  /** The Slack webhook channel. */
  slack: Channel<SlackDelivery<SlackMessage>>;
  /** The webhook the preview organization posts to; a function because the port is known only after listen. */
  webhookUrl: () => string;
  /** This app's own origin (`http://127.0.0.1:3000`): the embedded receiver a typed webhook may name. */
  origin?: () => string;
  /**
   * The Slack channel for webhook URLs typed in the UI: hooks.slack.com only, whatever the
   * configuration. @default a webhook channel with no allowed hosts besides hooks.slack.com
   */
  typedSlack?: Channel<SlackDelivery<SlackMessage>>;
  /** The Slack channel for a typed URL of the embedded receiver (loopback http). @default slack */
  embeddedSlack?: Channel<SlackDelivery<SlackMessage>>;
  /** Verifies `POST /slack/actions`. */
  signingSecret: string;
  /** True when the secret was generated for this run: only then may the UI show it. */
  showSigningSecret: boolean;
  /** How the UI describes where sends go, e.g. `embedded SMTP on 127.0.0.1:2525`. Never holds secrets. */
  destinations: { email: string; slack: string };
  /** Built front end (vite build output); without it only the API is served. */
  staticDir?: string;
  /** @default previewDefaults.bodyLimitBytes */
  bodyLimitBytes?: number;
  /** @default previewDefaults.outboxSize */
  outboxSize?: number;
  /** @default previewDefaults.deliveryLogSize */
  deliveryLogSize?: number;
  /** Secrets that must never reach a response or a log line (SMTP password, real webhook URL). */
  secrets?: readonly (string | undefined)[];
  /**
   * The Web API channel in the preview organization's tenant config (`slack.channels`), which
   * `POST /api/notify` also posts to. Its name is optional there, as in any tenant config.
   * @default { id: previewDefaults.apiChannelId, name: previewDefaults.apiChannelName }
   */
  tenantChannel?: { id: string; name?: string };
  /** What renders and sends: the live sources in `pnpm demo` (live-templates.ts). @default packageTemplates */
  templates?: PreviewTemplates;
  /**
   * Host names the app answers on besides `localhost`, `127.0.0.1` and `[::1]` (any port), as they
   * appear in a `Host` header: e.g. `['preview.internal']` behind a reverse proxy. Any other `Host`
   * gets 403, which keeps DNS-rebinding pages out. @default []
   */
  allowedHosts?: readonly string[];
}

export interface PreviewApp {
  app: Hono;
  outbox: Outbox;
  live: LiveEvents;
  /** The live channel's numbered events and open streams (Last-Event-ID replay). */
  replay: LiveReplay;
  alerts: AlertStore;
  /** Sends through @pytake/notify-queue from now on, with its worker in this process (`REDIS_URL`). */
  useQueue(connection: string): Promise<void>;
  /** Stops the queue's worker, if any. */
  closeQueue(): Promise<void>;
  /**
   * Sends the storm digests the app's notifier holds, then stops the queue's worker: call it while
   * the embedded receivers still answer, so that the digests reach them.
   */
  close(): Promise<void>;
  /** Adds a captured email or Slack payload to the outbox and tells the browsers. */
  capture(entry: OutboxEntry): void;
}

/** The preview's HTTP app: API, embedded Slack receiver, interactivity, metrics and the built UI. */
export function createPreviewApp(options: PreviewAppOptions): PreviewApp {
  const outbox = createOutbox(options.outboxSize ?? previewDefaults.outboxSize);
  const deliveries = createBoundedList<DeliveryRecord>(
    options.deliveryLogSize ?? previewDefaults.deliveryLogSize,
  );
  const live = createLiveEvents();
  const replay = createLiveReplay(live);
  const alerts = createAlertStore({ onChange: (alert) => live.publish({ type: 'alert', data: alert }) });
  const metrics = createPreviewMetrics();
  // The console under /console: fed here by every send (each event, then its records); with the
  // queue, read from Redis instead (useQueue).
  const consoleSource = createInProcessSource();
  const stats = createDeliveryStats();
  const secrets = [options.signingSecret, ...(options.secrets ?? [])];
  const clean = (text: string) => redactSecrets(text, secrets);
  const templates = options.templates ?? packageTemplates;
  const tenantChannel = options.tenantChannel ?? {
    id: previewDefaults.apiChannelId,
    name: previewDefaults.apiChannelName,
  };

  const capture = (entry: OutboxEntry) => {
    outbox.add(entry);
    live.publish({ type: 'outbox', data: entry });
  };
  const typedSlack = options.typedSlack ?? createSlackWebhookChannel({ allowedHosts: [] });
  const embeddedSlack = options.embeddedSlack ?? options.slack;
  // A record's error text may quote a target (an SMTP reply naming the mailbox): typed targets are
  // removed like the configured secrets before a record reaches the log, the metrics or the answer.
  // Targets are shown as `d…@preview.local` even where core's record still has the whole address.
  const safeRecord = (record: DeliveryRecord, extra: readonly (string | undefined)[] = []) => {
    const target = record.target.replace(/[^\s@…]+@[^\s@]+/g, (address) => redactAddress(address));
    if (!record.error) return { ...record, target };
    const message = redactSecrets(record.error.message, [...secrets, ...extra]);
    return { ...record, target, error: { ...record.error, message } };
  };
  const onDelivery = (
    record: DeliveryRecord,
    extra: readonly (string | undefined)[] = [],
    entryId?: string,
  ) => {
    const safe = safeRecord(record, extra);
    if (entryId) alerts.recordDelivery(entryId, safe);
    // A Web API message can be changed later (chat.update): remember where it is. The record names
    // its channel only for display (`alerts (C0PREVIEW)`, or the bare id of an unnamed channel); the
    // id is on the fake Slack's copy of the message, captured before chat.postMessage answered this
    // ts. Every Web API send of the app goes to that fake (fakeSlackApi), whose ts are unique.
    const ts = safe.channel === 'slack-api' && safe.status === 'delivered' ? safe.providerId : undefined;
    if (entryId && ts) {
      const posted = outbox.list().find((e) => e.kind === 'slack' && e.via === 'api' && e.ts === ts);
      if (posted?.kind === 'slack' && posted.channel)
        alerts.addMessage(safe.alertId, { channel: posted.channel, ts, entryId });
    }
    deliveries.add(safe);
    consoleSource.record(safe);
    metrics.record(safe);
    stats.record(safe);
    live.publish({ type: 'delivery', data: safe });
  };

  // What a request renders or sends: its `event`, or the digest its `digest` names (a send takes
  // fewer alerts than a render: each one goes through the notifier).
  const subjectOf = (body: unknown, maxDigestAlerts?: number): PreviewSubject => {
    const shape = requestShape(body);
    return 'digest' in shape
      ? { digest: digestOf(shape.digest, maxDigestAlerts) }
      : { event: parseEvent(shape.event) };
  };
  const tenantOf = (
    organizationId: string,
    body: unknown,
    targets: { to?: string; webhookUrl?: string } = {},
    channels: readonly { id: string; name?: string }[] = [],
  ) => {
    const { locale, timeZone } = requestShape(body);
    return previewTenant({
      organizationId,
      locale,
      timeZone,
      recipient: targets.to ?? previewDefaults.previewRecipient,
      webhookUrl: targets.webhookUrl ?? options.webhookUrl(),
      channels,
    });
  };
  const tenantFor = (body: unknown, maxDigestAlerts?: number) => {
    const subject = subjectOf(body, maxDigestAlerts);
    const organizationId =
      'digest' in subject ? subject.digest.organizationId : subject.event.alert.organizationId;
    return { subject, tenant: tenantOf(organizationId, body) };
  };

  // The fake Slack's Web API, for POST /api/notify: made on first use, when the port is known.
  let apiChannel: SlackApiChannel | undefined;
  const fakeSlackApi = () => {
    const origin = options.origin?.();
    if (!origin) return undefined;
    apiChannel ??= createSlackApiChannel({
      token: previewDefaults.fakeSlackToken,
      baseUrl: `${origin}/slack/api/`,
      allowedHosts: [new URL(origin).hostname],
      // The fake has no per-channel limit to respect, and a demo should not wait a second per message.
      rateLimit: false,
      retry: { maxAttempts: 2 },
    });
    return apiChannel;
  };
  // The Web API route of both paths, the notifier's and the queue worker's: the worker renders with
  // it again when it edits the alert's messages after an action.
  const slackApiRoute = (channel: SlackApiChannel) => ({
    channel,
    render: (event: AlertEvent, tenant: TenantConfig, context?: RenderContext) =>
      renderAlertMessage(event, tenant, templates, context),
    renderDigest: (digest: AlertDigest, tenant: TenantConfig) =>
      templates.renderSlackDigestForTenant(digest, tenant),
  });
  let queueMode: QueueMode | undefined;
  const updater = createMessageUpdater({
    alerts,
    render: (context, alert) =>
      renderUpdatedMessage(context, alert, tenantOf(context.event.alert.organizationId, context), templates),
    apiChannel: () => apiChannel,
    allowedHosts: () => {
      const origin = options.origin?.();
      return origin ? [new URL(origin).hostname] : [];
    },
    queue: () => queueMode,
  });

  const extraHosts = parseAllowedHosts(options.allowedHosts ?? [], 'allowedHosts');
  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof ApiError) return c.json(error.toJSON(), error.status);
    // A template that rejects an input (e.g. a Slack limit with overflow 'error') is the input's fault.
    if (isNotifyError(error) && (error.code === 'validation' || error.code === 'config')) {
      const issues = (error as ValidationError).issues;
      return c.json({ error: { code: error.code, message: clean(error.message), issues } }, 400);
    }
    const message = clean(error instanceof Error ? error.message : String(error));
    console.error(`preview: ${c.req.method} ${c.req.path} failed: ${message}`);
    return c.json({ error: { code: isNotifyError(error) ? error.code : 'internal', message } }, 500);
  });

  const limit = bodyLimit({
    maxSize: options.bodyLimitBytes ?? previewDefaults.bodyLimitBytes,
    onError: (c) => {
      // The rest of the body is still on the wire: close the connection so no client reuses it.
      c.header('Connection', 'close');
      return c.json(
        {
          error: {
            code: 'too_large',
            message: `Request body is larger than ${options.bodyLimitBytes ?? previewDefaults.bodyLimitBytes} bytes`,
          },
        },
        413,
      );
    },
  });
  // Before anything else, on every route: the UI and /metrics too.
  app.use('*', allowedHostsGuard(extraHosts));
  app.use('*', sameOriginWrites());
  // Only the browser API: Slack posts /slack/actions form-encoded, and the receivers answer as Slack's do.
  app.use('/api/*', jsonWrites());
  app.use('/api/*', limit);
  app.use('/hooks/*', limit);
  app.use('/slack/*', limit);

  app.get('/api/config', (c) =>
    c.json({
      destinations: options.destinations,
      recipient: previewDefaults.previewRecipient,
      // A generated dev secret is shown so designers can sign test requests; a configured one never is.
      signingSecret: options.showSigningSecret ? options.signingSecret : null,
      signingSecretSource: options.showSigningSecret ? 'generated' : 'env',
    }),
  );

  app.route('/', renderRoutes({ templates, tenantFor }));

  const useQueue = async (connection: string) => {
    const api = fakeSlackApi();
    // Loaded only with REDIS_URL: the queue (BullMQ, ioredis) costs nothing when it is off.
    const { startQueueMode } = await import('./queue-mode.js');
    queueMode = await startQueueMode({
      connection,
      // The worker's directory: every organization is the preview's, with its default locale.
      directory: {
        get: async (organizationId) =>
          previewTenant({
            organizationId,
            recipient: previewDefaults.previewRecipient,
            webhookUrl: options.webhookUrl(),
            channels: api ? [tenantChannel] : [],
          }),
      },
      routes: {
        ...previewRoutes({ email: options.email, slack: options.slack }, templates),
        ...(api ? { slackApi: slackApiRoute(api) } : {}),
      },
      alerts,
      onDelivery: (record, entryId) => onDelivery(record, [], entryId),
    });
    opsConsole = consoleFor(createRedisSource({ queue: queueMode.queue }));
  };

  // The console entry of each record: the latest entry of its alert and event type. A digest's
  // records come from the notifier's timer, long after the send that folded their events returned.
  const entries = createBoundedMap<string, string>(previewDefaults.deliveryLogSize);
  const entryKey = (r: { alertId: string; eventType: string }) => `${r.alertId}|${r.eventType}`;
  const recordEntry = (event: AlertEvent, context: { locale?: string; timeZone?: string }) => {
    consoleSource.event(event);
    const entryId = alerts.recordEvent(event, context);
    entries.set(entryKey({ alertId: event.alert.id, eventType: event.type }), entryId);
    return entryId;
  };
  const notifierFor = (
    directory: (organizationId: string) => TenantConfig | undefined,
    slack: Channel<SlackDelivery<SlackMessage>>,
    api: SlackApiChannel | undefined,
    extra: readonly (string | undefined)[] = [],
  ) =>
    createNotifier({
      directory: { get: async (id) => directory(id) },
      routes: {
        ...previewRoutes({ email: options.email, slack }, templates),
        ...(api ? { slackApi: slackApiRoute(api) } : {}),
      },
      // Off because a designer sends the same event again and again on purpose.
      idempotency: false,
      onDelivery: (record) => onDelivery(record, extra, entries.get(entryKey(record))),
    });
  // The preview's own targets share one notifier, so that its storm control sees every send (a burst
  // of Send test or POST /api/notify) as a service's notifier would, and folds a storm into digests.
  // Its directory answers with the tenant of the organization's latest send (the locale and time zone
  // picked in the UI), which a held digest is rendered for. Bounded like the console: the body names
  // the organization, and a digest keeps the tenant it was folded for.
  let shared: Notifier | undefined;
  const sharedTenants = createBoundedMap<string, TenantConfig>(alertStoreDefaults.maxAlerts);
  const sharedNotifier = () => {
    shared ??= notifierFor((id) => sharedTenants.get(id), options.slack, fakeSlackApi());
    return shared;
  };

  // Send test and POST /api/notify: the event (or each event of a digest, as a burst) goes through a
  // notifier and into the console.
  const deliver = async (
    body: unknown,
    targets: SendTargets = { embeddedWebhook: false },
    api: SlackApiChannel | undefined = undefined,
  ) => {
    const subject = subjectOf(body, previewDefaults.maxBurstAlerts);
    const events = 'digest' in subject ? subject.digest.events : [subject.event];
    const tenant = tenantOf(events[0]!.alert.organizationId, body, targets, api ? [tenantChannel] : []);
    const typed = Boolean(targets.to || targets.webhookUrl);
    // The typed webhook's path is its credential; the address is personal data.
    const extra = [
      targets.to,
      targets.webhookUrl,
      targets.webhookUrl && new URL(targets.webhookUrl).pathname,
    ];
    const { locale, timeZone } = requestShape(body) as { locale?: string; timeZone?: string };
    // With the queue, the preview's own targets are the worker's; typed ones are sent here.
    if (queueMode && !typed) {
      const ids: string[] = [];
      for (const event of events)
        ids.push((await queueMode.enqueue(event, recordEntry(event, { locale, timeZone }))).id);
      return {
        queued: true,
        id: ids[0],
        ...burstOf(events),
        records: [],
        summary: { queued: events.length },
      };
    }
    // Typed targets get a notifier of their own for this request, closed at its end: a burst sends
    // its digest at once rather than holding it for a webhook typed in the UI.
    const slack = !targets.webhookUrl ? options.slack : targets.embeddedWebhook ? embeddedSlack : typedSlack;
    if (!typed) sharedTenants.set(tenant.organizationId, tenant);
    const notifier = typed
      ? notifierFor((id) => (id === tenant.organizationId ? tenant : undefined), slack, api, extra)
      : sharedNotifier();
    const reports: NotificationReport[] = [];
    for (const event of events) {
      recordEntry(event, { locale, timeZone });
      reports.push(await notifier.notify(event));
    }
    if (typed) await notifier.close();
    const records = reports.flatMap((r) => r.records).map((r) => safeRecord(r, extra));
    if (reports.length === 1) return { ...reports[0]!, records };
    return { ...burstOf(events), records, summary: sumSummaries(reports) };
  };

  app.post('/api/send', async (c) => {
    const body = await readJson(c);
    const requested = requestShape(body) as { to?: unknown; webhookUrl?: unknown };
    return c.json(await deliver(body, parseSendTargets(requested, options.origin?.() ?? '')));
  });
  // What a service does: one event, to the preview organization's configured targets.
  // Besides the webhook it posts through the fake Slack's Web API, whose messages chat.update can change.
  app.post('/api/notify', async (c) =>
    c.json(await deliver(await readJson(c), { embeddedWebhook: false }, fakeSlackApi())),
  );

  app.route('/', logRoutes({ outbox, deliveries, stats, metrics, live }));
  app.route('/', alertRoutes(alerts));
  app.route(
    '/',
    queueRoutes(() => queueMode),
  );
  const consoleFor = (source: Parameters<typeof createPreviewConsole>[0]['source']) =>
    createPreviewConsole({
      source,
      signingSecret: options.signingSecret,
      dispatch: (init) => Promise.resolve(app.request('/slack/actions', init)),
    });
  let opsConsole: OperatorConsole = consoleFor(consoleSource);
  // A Slack button press changes the alert as the console's own actions do, which the console
  // records itself: the console shows the press as a step of the alert too.
  const recordSlackPress = (alertId: string) => {
    const alert = alerts.get(alertId);
    const step = alert?.timeline.at(-1);
    if (!alert?.organizationId || step?.kind !== 'action' || step.source !== 'slack') return;
    if (!(ACTION_KINDS as readonly string[]).includes(step.type)) return;
    const action = {
      kind: step.type as ActionKind,
      organizationId: alert.organizationId,
      alertId,
      ...(step.assignee ? { assignee: step.assignee } : {}),
    };
    void consoleSource.recordAction(action, { id: step.by ?? 'slack' }, new Date(step.at));
  };
  app.route(
    '/',
    consoleRoutes(() => opsConsole),
  );

  app.get('/api/live', liveStream(replay));

  app.route(
    '/',
    slackReceiverRoutes({
      capture,
      outbox,
      changed: (entry) => live.publish({ type: 'outbox', data: entry }),
      token: previewDefaults.fakeSlackToken,
    }),
  );
  app.route(
    '/',
    slackActionsRoutes({
      signingSecret: options.signingSecret,
      alerts,
      outbox,
      origin: options.origin,
      onAction: (taken) => {
        recordSlackPress(taken.alertId);
        return updater.afterAction(taken);
      },
    }),
  );

  app.all('/api/*', (c) =>
    c.json({ error: { code: 'not_found', message: `No route ${c.req.method} ${c.req.path}` } }, 404),
  );

  if (options.staticDir && existsSync(options.staticDir)) {
    const root = options.staticDir;
    app.use('/*', serveStatic({ root }));
    // The UI is one page: any other GET gets index.html.
    app.get('*', async (c) => c.html(await readFile(join(root, 'index.html'), 'utf8')));
  }

  const closeQueue = async () => {
    await queueMode?.close();
    queueMode = undefined;
    opsConsole = consoleFor(consoleSource);
  };

  return {
    app,
    outbox,
    live,
    replay,
    alerts,
    capture,
    useQueue,
    closeQueue,
    async close() {
      await shared?.close();
      await closeQueue();
    },
  };
}

type RequestShape = ({ event: unknown } | { digest: unknown }) & { locale?: unknown; timeZone?: unknown };

function requestShape(body: unknown): RequestShape {
  // to and webhookUrl (POST /api/send) are read by parseSendTargets.
  if (
    typeof body !== 'object' ||
    body === null ||
    Array.isArray(body) ||
    !('event' in body || 'digest' in body)
  ) {
    throw new ApiError(400, 'validation', 'Expected a JSON object { event, locale?, timeZone? }', [
      {
        path: 'event',
        message: 'required (an alert event object), or `digest`: { count } for a storm digest',
      },
    ]);
  }
  return body as RequestShape;
}

/** What a send's answer says about a burst: how many events, and the alerts they were about. */
function burstOf(events: readonly AlertEvent[]) {
  const [first] = events;
  return events.length === 1
    ? { eventType: first!.type, alertId: first!.alert.id }
    : { burst: events.length, alertIds: events.map((e) => e.alert.id) };
}

/** The counts by status of several reports together. */
function sumSummaries(reports: readonly NotificationReport[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const report of reports)
    for (const [status, n] of Object.entries(report.summary)) sum[status] = (sum[status] ?? 0) + n;
  return sum;
}

function parseEvent(input: unknown) {
  try {
    return parseAlertEvent(input);
  } catch (error) {
    if (isNotifyError(error) && error.code === 'validation') {
      // Paths stay relative to the event (`alert.severity`): that is what the props editor holds.
      throw new ApiError(400, 'validation', 'Invalid alert event', (error as ValidationError).issues);
    }
    throw error;
  }
}
