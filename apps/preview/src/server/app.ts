import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { createInProcessSource, createRedisSource, type OperatorConsole } from '@pytake/notify-console';
import {
  type AlertEvent,
  type Channel,
  createDeliveryStats,
  type DeliveryRecord,
  type EmailDelivery,
  redactSecrets,
  type SlackDelivery,
} from '@pytake/notify-core';
import { createSlackWebhookChannel, type SlackMessage } from '@pytake/notify-slack';
import { Hono } from 'hono';
import { alertRoutes } from './alert-routes.js';
import { type AlertStore, createAlertStore } from './alert-store.js';
import { allowedHostsGuard, parseAllowedHosts } from './allowed-hosts.js';
import { apiBodyLimit, apiErrorHandler } from './api-errors.js';
import { createBoundedList } from './bounded-list.js';
import { previewDefaults } from './defaults.js';
import { createDeliver } from './deliver.js';
import { createDeliverySink } from './delivery-sink.js';
import { createLiveEvents, type LiveEvents } from './live-events.js';
import { createLiveReplay, type LiveReplay } from './live-replay.js';
import { liveStream } from './live-stream.js';
import { logRoutes } from './log-routes.js';
import { createMessageUpdater } from './message-updates.js';
import { createPreviewMetrics } from './metrics.js';
import { createOutbox, type Outbox, type OutboxEntry } from './outbox.js';
import { consoleRoutes, createPreviewConsole, slackPressRecorder } from './preview-console.js';
import { type PreviewTemplates, packageTemplates } from './preview-templates.js';
import { previewTenant } from './preview-tenant.js';
import type { QueueMode } from './queue-mode.js';
import { queueRoutes } from './queue-routes.js';
import { previewRoutes } from './render-preview.js';
import { renderRoutes } from './render-routes.js';
import { requestTenants } from './request-shape.js';
import { sendRoutes } from './send-routes.js';
import { slackActionsRoutes } from './slack-actions.js';
import { fakeSlackApi, slackApiRoute } from './slack-api-route.js';
import { slackReceiverRoutes } from './slack-receiver.js';
import { renderUpdatedMessage } from './updated-message.js';
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

/** What `GET /api/config` answers: what the UI shows of the app's configuration. */
export interface PreviewConfig {
  destinations: { email: string; slack: string };
  recipient: string;
  /** Only a secret generated for this run; a configured one is never shown. */
  signingSecret: string | null;
  signingSecretSource: 'generated' | 'env';
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
  const templates = options.templates ?? packageTemplates;
  const tenantChannel = options.tenantChannel ?? {
    id: previewDefaults.apiChannelId,
    name: previewDefaults.apiChannelName,
  };
  const { tenantOf, tenantFor } = requestTenants(options.webhookUrl);
  const slackApi = fakeSlackApi(() => options.origin?.());
  const sink = createDeliverySink({
    secrets,
    alerts,
    outbox,
    deliveries,
    consoleSource,
    metrics,
    stats,
    live,
  });

  const capture = (entry: OutboxEntry) => {
    outbox.add(entry);
    live.publish({ type: 'outbox', data: entry });
  };

  let queueMode: QueueMode | undefined;
  const deliver = createDeliver({
    email: options.email,
    slack: options.slack,
    embeddedSlack: options.embeddedSlack ?? options.slack,
    typedSlack: options.typedSlack ?? createSlackWebhookChannel({ allowedHosts: [] }),
    templates,
    tenantChannel,
    tenantOf,
    fakeSlackApi: slackApi.channel,
    queue: () => queueMode,
    recordEvent: (event: AlertEvent, context) => {
      consoleSource.event(event);
      return alerts.recordEvent(event, context);
    },
    onDelivery: sink.onDelivery,
    safeRecord: sink.safeRecord,
  });
  const updater = createMessageUpdater({
    alerts,
    render: (context, alert) =>
      renderUpdatedMessage(context, alert, tenantOf(context.event.alert.organizationId, context), templates),
    apiChannel: slackApi.made,
    allowedHosts: () => {
      const origin = options.origin?.();
      return origin ? [new URL(origin).hostname] : [];
    },
    queue: () => queueMode,
  });

  const app = new Hono();
  app.onError(apiErrorHandler((text) => redactSecrets(text, secrets)));
  const limit = apiBodyLimit(options.bodyLimitBytes ?? previewDefaults.bodyLimitBytes);
  // Before anything else, on every route: the UI and /metrics too.
  app.use('*', allowedHostsGuard(parseAllowedHosts(options.allowedHosts ?? [], 'allowedHosts')));
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
    } satisfies PreviewConfig),
  );

  app.route('/', renderRoutes({ templates, tenantFor }));
  app.route('/', sendRoutes({ deliver, origin: options.origin, fakeSlackApi: slackApi.channel }));
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
  app.route(
    '/',
    consoleRoutes(() => opsConsole),
  );
  const recordSlackPress = slackPressRecorder(alerts, consoleSource);

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

  const useQueue = async (connection: string) => {
    const api = slackApi.channel();
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
        ...(api ? { slackApi: slackApiRoute(api, templates) } : {}),
      },
      alerts,
      onDelivery: (record, entryId) => sink.onDelivery(record, { entryId }),
    });
    opsConsole = consoleFor(createRedisSource({ queue: queueMode.queue }));
  };
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
      await deliver.close();
      await closeQueue();
    },
  };
}
