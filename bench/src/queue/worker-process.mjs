// One delivery worker as its own process, for the queue rows. Plain JavaScript on the packages'
// dist (no tsx), so a process starts as a service's would. Configured by WORKER_CONFIG (JSON):
//   { mode: 'ours' | 'raw', redisPath, prefix, tenants, limits, concurrency,
//     apiBaseUrl?, conversation? }
// With `apiBaseUrl` ours delivers the tenants' `slack.channels` through the Web API channel (the
// `slackApi` route) instead of their webhooks; `conversation`, when given, is passed to the worker
// as it is (a worker without that option ignores it).
// Tells its parent 'ready' over IPC; exits with it (IPC disconnect).
import { createStaticDirectory } from '@pytake/notify-core';
import { createDeliveryWorker } from '@pytake/notify-queue';
import { createSlackApiChannel, createSlackWebhookChannel } from '@pytake/notify-slack';
import { renderSlackForTenant } from '@pytake/notify-templates';
import { Worker } from 'bullmq';

let close;
// Dies with its parent, even while still starting (a parent that gave up waiting for 'ready').
process.on('disconnect', () => {
  setTimeout(() => process.exit(0), 2000).unref();
  if (close) close().finally(() => process.exit(0));
  else process.exit(0);
});

const config = JSON.parse(process.env.WORKER_CONFIG ?? '{}');
const directory = createStaticDirectory(config.tenants);
// One attempt per send: the queue (or BullMQ, for the raw worker) retries. No in-process limiter:
// the queue's shared one is what is measured.
const channel = createSlackWebhookChannel({
  allowedHosts: ['127.0.0.1'],
  rateLimit: false,
  retry: { maxAttempts: 1 },
});

const kind = config.apiBaseUrl ? 'slackApi' : 'slack';
const route = config.apiBaseUrl
  ? {
      // Threads as the tenant says (`slack.threadReplies`, passed by core with each delivery).
      channel: createSlackApiChannel({
        token: 'xoxb-bench-token',
        baseUrl: config.apiBaseUrl,
        allowedHosts: ['127.0.0.1'],
        rateLimit: false,
        retry: { maxAttempts: 1 },
      }),
      render: renderSlackForTenant,
    }
  : { channel, render: renderSlackForTenant };

if (config.mode === 'ours') {
  const worker = createDeliveryWorker({
    connection: { path: config.redisPath },
    prefix: config.prefix,
    directory,
    routes: { [kind]: route },
    concurrency: config.concurrency,
    ...(config.limits ? {} : { limits: { [kind]: false } }),
    ...(config.conversation === undefined ? {} : { conversation: config.conversation }),
    onError: () => {},
  });
  await worker.ready();
  close = () => worker.close({ timeoutMs: 1000 });
} else {
  // The raw side: a plain BullMQ worker doing the same render and the same POST, nothing else.
  const worker = new Worker(
    'raw-deliveries',
    async (job) => {
      const { event, organizationId } = job.data;
      const tenant = await directory.get(organizationId);
      const url = tenant.slack.webhooks[0].url;
      await channel.send({ webhookUrl: url, message: renderSlackForTenant(event, tenant) });
    },
    {
      connection: { path: config.redisPath, maxRetriesPerRequest: null },
      prefix: config.prefix,
      concurrency: config.concurrency,
    },
  );
  worker.on('error', () => {});
  await worker.waitUntilReady();
  close = () => worker.close(true);
}
// The scaling row asks how much CPU the workers used, to tell a CPU-bound run from a queue-bound one.
process.on('message', (m) => {
  if (m === 'cpu') process.send?.({ cpu: process.cpuUsage() });
});
process.send?.('ready');
