// A delivery worker: takes the events that services enqueue and delivers them by email and Slack.
// Run as many as you like, on as many machines; each is one process. It serves /livez and /readyz
// for the orchestrator and /metrics for Prometheus, and drains on SIGTERM (or Ctrl-C) before it exits.
//
//   REDIS_URL(_FILE)                 redis://…, rediss://… or a socket path
//   TENANTS_FILE                     JSON array of tenant configs (stands in for your database)
//   SMTP_* (SMTP_PASSWORD_FILE, …)   see @pytake/notify-email's loadSmtpConfig(); no SMTP_HOST, no email
//   SLACK_* (SLACK_BOT_TOKEN_FILE, …) see @pytake/notify-slack's loadSlackConfig(); a bot token adds
//                                    the Web API route (channels, threads)
//   SLACK_ALLOWED_HOSTS              extra webhook hosts, comma-separated (a proxy; loopback in tests)
//   SLACK_WEBHOOK_PER_SECOND, SLACK_WEBHOOK_BURST  shared limit per webhook (Slack's: 1 and 5)
//   WORKER_CONCURRENCY               jobs at once per queue (8)
//   SHUTDOWN_TIMEOUT_MS              how long a drain lets held jobs finish (10000)
//   HEALTH_HOST, HEALTH_PORT         probes (127.0.0.1:8080; 0.0.0.0 in a container)
//   METRICS_HOST, METRICS_PORT       Prometheus (127.0.0.1:9464)
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import {
  createStaticDirectory,
  isNotifyError,
  type Routes,
  type TenantConfigInput,
} from '@pytake/notify-core';
import { createDeliveryMetrics } from '@pytake/notify-core/metrics';
import { createEmailChannel, loadSmtpConfig } from '@pytake/notify-email';
import { createDeliveryWorker, createNotificationQueue, serveWorkerHealth } from '@pytake/notify-queue';
import { registerQueueMetrics } from '@pytake/notify-queue/metrics';
import {
  createSlackApiChannel,
  createSlackWebhookChannel,
  loadSlackConfig,
  type SlackMessage,
} from '@pytake/notify-slack';
import {
  renderEmailDigestForTenant,
  renderEmailForTenant,
  renderSlackDigestForTenant,
  renderSlackForTenant,
} from '@pytake/notify-templates';
import { Counter, register } from 'prom-client';
import { listenAddress, log, milliseconds, redisConnection } from './config.js';

const env = process.env;
const connection = redisConnection(env);

// Both loaders throw one ConfigError naming every bad variable, never a secret's value.
const smtp = loadSmtpConfig(env);
const slack = loadSlackConfig(env);
if (!env.TENANTS_FILE) throw new Error('TENANTS_FILE must name a JSON file of tenant configs');
const tenants = JSON.parse(readFileSync(env.TENANTS_FILE, 'utf8')) as TenantConfigInput[];

// Inside a worker each channel makes one attempt per job run, with no limiter of its own: retries
// are the queue's (they survive a crash) and the rate limits are shared by all workers in Redis.
const routes: Routes<SlackMessage> = {};
const email = createEmailChannel(smtp);
if (email.isConfigured())
  routes.email = { channel: email, render: renderEmailForTenant, renderDigest: renderEmailDigestForTenant };
const allowedHosts = (env.SLACK_ALLOWED_HOSTS ?? '').split(',').filter((host) => host.trim() !== '');
const webhooks = createSlackWebhookChannel({
  enabled: slack.enabled,
  timeoutMs: slack.timeoutSeconds * 1000,
  allowedHosts,
});
routes.slack = { channel: webhooks, render: renderSlackForTenant, renderDigest: renderSlackDigestForTenant };
if (slack.botToken)
  routes.slackApi = {
    channel: createSlackApiChannel({ token: slack.botToken }),
    render: renderSlackForTenant,
    renderDigest: renderSlackDigestForTenant,
  };

// Prometheus: core's delivery counters from every record, the queue's job gauges read on each
// scrape, and what the shared rate limits did.
const deliveryMetrics = createDeliveryMetrics();
const rateLimitEvents = new Counter({
  name: 'notify_worker_rate_limit_events_total',
  help: 'Shared rate-limit events of this worker: slots granted, deliveries deferred, 429 holds.',
  labelNames: ['kind'],
});
const queue = createNotificationQueue({ connection });
registerQueueMetrics(queue);

const perSecond = Number(env.SLACK_WEBHOOK_PER_SECOND ?? 1);
const burst = Number(env.SLACK_WEBHOOK_BURST ?? 5);
const worker = createDeliveryWorker({
  connection,
  directory: createStaticDirectory(tenants),
  routes,
  concurrency: Number(env.WORKER_CONCURRENCY ?? 8),
  limits: { slack: { perSecond, burst } },
  // The longest one send may take: the channels' own timeout.
  sendTimeoutMs: Math.max(smtp.timeoutSeconds, slack.timeoutSeconds) * 1000,
  onDelivery: (record) => {
    deliveryMetrics.record(record);
    // Records show targets redacted; still, log ids and outcomes only.
    log({
      delivery: record.status,
      channel: record.channel,
      alertId: record.alertId,
      event: record.eventType,
    });
  },
  onRateLimit: (event) => rateLimitEvents.inc({ kind: event.kind }),
  // Connection losses, a Redis that evicts keys or keeps nothing on disk, a kind no worker takes.
  onError: (error) => log({ error: isNotifyError(error) ? error.code : error.name, message: error.message }),
});

const health = await serveWorkerHealth(
  worker,
  listenAddress(env, 'HEALTH', { host: '127.0.0.1', port: 8080 }),
);
const metricsServer = createServer((request, response) => {
  if (request.url !== '/metrics') {
    response.writeHead(404).end();
    return;
  }
  register.metrics().then((text) => {
    response.writeHead(200, { 'content-type': register.contentType });
    response.end(text);
  });
});
const metricsAt = listenAddress(env, 'METRICS', { host: '127.0.0.1', port: 9464 });
await new Promise<void>((resolve) => metricsServer.listen(metricsAt.port, metricsAt.host, resolve));

try {
  await worker.ready();
} catch (error) {
  // A Redis older than the queue needs (RedisVersionError): the worker took no job.
  log({ error: isNotifyError(error) ? error.code : 'unexpected', message: (error as Error).message });
  process.exit(1);
}
log({
  program: 'worker',
  ready: true,
  health: health.port,
  metrics: (metricsServer.address() as { port: number }).port,
  routes: Object.keys(routes),
});

// Graceful shutdown: stop taking jobs, let held ones finish (sends already written are never
// aborted), close the probes with the worker, then exit. Give the process SHUTDOWN_TIMEOUT_MS plus
// the channels' timeout before a SIGKILL (Kubernetes: terminationGracePeriodSeconds).
const timeoutMs = milliseconds(env, 'SHUTDOWN_TIMEOUT_MS', 10_000);
let stopping = false;
const stop = (signal: string) => {
  if (stopping) return;
  stopping = true;
  log({ program: 'worker', stopping: signal });
  worker
    .close({ timeoutMs })
    .then(() => Promise.all([queue.close(), new Promise((resolve) => metricsServer.close(resolve))]))
    .then(
      () => {
        email.close();
        webhooks.close();
        log({ program: 'worker', stopped: true });
        process.exit(0);
      },
      () => process.exit(1),
    );
};
process.on('SIGTERM', () => stop('SIGTERM'));
process.on('SIGINT', () => stop('SIGINT'));
