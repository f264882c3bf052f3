// A delivery worker as its own process, for the tests that kill workers for real. Configured by the
// WORKER_CONFIG environment variable (JSON); tells its parent 'ready' over IPC, then every rate-limit
// slot granted to it (`{ granted: RateLimitEvent }`, on Redis's clock); closes gracefully on SIGTERM.
import { type AlertDigest, createStaticDirectory, type TenantConfigInput } from '@pytake/notify-core';
import { createDeliveryWorker, type DeliveryWorkerOptions } from '../index.js';
import { render } from './fixtures.js';
import { createHttpChannel } from './http-channel.js';

interface WorkerConfig {
  redisPath: string;
  tenants: TenantConfigInput[];
  options?: Partial<DeliveryWorkerOptions>;
  /** Blocks the event loop this long in the first send, to make its lock expire. */
  blockFirstSendMs?: number;
  /** Renders storm digests (`digest <alert id>,<alert id>,…`), which turns storm control on. */
  digests?: boolean;
}

const config = JSON.parse(process.env.WORKER_CONFIG ?? '{}') as WorkerConfig;
const channel = createHttpChannel();
let blocked = false;
const worker = createDeliveryWorker({
  connection: { path: config.redisPath },
  directory: createStaticDirectory(config.tenants),
  routes: {
    slack: {
      render,
      channel: {
        kind: 'slack',
        async send(delivery, options) {
          if (config.blockFirstSendMs && !blocked) {
            blocked = true;
            const until = Date.now() + config.blockFirstSendMs;
            while (Date.now() < until) {
              // Busy on purpose: nothing else of this process runs, lock renewals included.
            }
          }
          return channel.send(delivery, options);
        },
      },
      ...(config.digests && {
        renderDigest: (digest: AlertDigest) => ({
          text: `digest ${digest.events.map((event) => event.alert.id).join(',')}`,
        }),
      }),
    },
  },
  onRateLimit: (event) => {
    if (event.kind === 'granted') process.send?.({ granted: event });
  },
  ...config.options,
});

process.on('SIGTERM', () => {
  worker.close({ timeoutMs: 10_000 }).then(
    () => process.exit(0),
    () => process.exit(1),
  );
});
worker.ready().then(() => process.send?.('ready'));
