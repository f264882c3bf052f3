// A delivery worker as its own process, with the real Slack Web API and email channels, for the
// conversation tests that kill workers for real. Configured by the WORKER_CONFIG environment variable
// (JSON); tells its parent 'ready' over IPC, then `{ record }` for every record; closes gracefully on
// SIGTERM. Every route renders `eventText()`, which the fake servers read back.
import { createStaticDirectory, type Routes, type TenantConfigInput } from '@pytake/notify-core';
// The queue does not depend on these packages (its users bring their channels): the tests take
// them from the workspace's sources, so that no build of theirs is needed first.
import { createEmailChannel } from '@pytake/notify-email';
import { createSlackApiChannel, type SlackMessage } from '@pytake/notify-slack';
import { createDeliveryWorker, type DeliveryWorkerOptions } from '../index.js';
import { eventText } from './event-text.js';
import { createHttpChannel } from './http-channel.js';

export interface ConversationWorkerConfig {
  redisPath: string;
  tenants: TenantConfigInput[];
  /** The `slackApi` route, to the fake's Web API with this worker's own token. */
  slackApi?: { baseUrl: string; token: string };
  /** The `slack` route (incoming webhooks), with the test's own webhook channel. */
  webhooks?: boolean;
  /** The `email` route, to a plain SMTP server on 127.0.0.1 at this port. */
  smtpPort?: number;
  /** Worker options, including ones this version may not know yet (`orderWaitMs`). */
  options?: Partial<DeliveryWorkerOptions> & Record<string, unknown>;
}

const config = JSON.parse(process.env.WORKER_CONFIG ?? '{}') as ConversationWorkerConfig;
const text = (event: Parameters<typeof eventText>[0]) => ({ text: eventText(event) });
const routes: Routes<SlackMessage> = {};
if (config.slackApi) {
  routes.slackApi = {
    render: text,
    channel: createSlackApiChannel({
      token: config.slackApi.token,
      baseUrl: config.slackApi.baseUrl,
      allowedHosts: ['127.0.0.1'],
      // Rate limits are not what these tests are about: the queue's shared limits are off too.
      rateLimit: false,
    }),
  };
}
if (config.webhooks) routes.slack = { render: text, channel: createHttpChannel() };
if (config.smtpPort) {
  routes.email = {
    render: (event) => ({ subject: eventText(event), html: `<p>${eventText(event)}</p>` }),
    channel: createEmailChannel({
      host: '127.0.0.1',
      port: config.smtpPort,
      useTls: false,
      fromEmail: 'alerts@pytake.test',
      // A ceiling for a loaded machine, not an expectation.
      timeoutSeconds: 60,
    }),
  };
}

const worker = createDeliveryWorker({
  connection: { path: config.redisPath },
  directory: createStaticDirectory(config.tenants),
  routes,
  onDelivery: (record) => process.send?.({ record }),
  ...config.options,
} as DeliveryWorkerOptions);

process.on('SIGTERM', () => {
  worker.close({ timeoutMs: 10_000 }).then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
worker.ready().then(() => process.send?.('ready'));
