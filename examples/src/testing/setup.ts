// What the example tests share: a redis-server of their own (the queue's test helper), a webhook
// receiver answering like Slack (the queue's), a tenants file, and the worker's environment.
import { writeFileSync } from 'node:fs';
import { startRedis, type TestRedis } from '../../../packages/queue/src/testing/redis-server.js';
import { startReceiver } from '../../../packages/queue/src/testing/webhook-receiver.js';
import { secretFile } from './programs.js';

export { startReceiver, startRedis, type TestRedis };
export type Receiver = Awaited<ReturnType<typeof startReceiver>>;

export const WEBHOOK_PATH = '/services/T0EXAMPLE/B0EXAMPLE/webhook-secret-path-1';

/**
 * A tenants file: organization acme with one webhook on `receiverBase` and, optionally, email. Storm
 * control is off, so that every event is a message of its own (the tests count them).
 */
export function tenantsFile(receiverBase: string, email = false): string {
  const tenants = [
    {
      organizationId: 'acme',
      ...(email && { email: { to: ['oncall@acme.test'] } }),
      slack: { webhooks: [{ name: 'ops', url: `${receiverBase}${WEBHOOK_PATH}` }], storm: false },
    },
  ];
  return secretFile('tenants.json', JSON.stringify(tenants));
}

/** The environment of a worker on `redis`, its probes and metrics on free ports. */
export function workerEnv(redis: TestRedis, tenants: string, extra: Record<string, string> = {}) {
  return {
    REDIS_URL_FILE: secretFile('redis-url', redis.connection.path),
    TENANTS_FILE: tenants,
    SLACK_ALLOWED_HOSTS: '127.0.0.1',
    // The test's receiver has no limit; Slack's is 1 per second per webhook, burst 5.
    SLACK_WEBHOOK_PER_SECOND: '1000',
    SLACK_WEBHOOK_BURST: '1000',
    HEALTH_PORT: '0',
    METRICS_PORT: '0',
    ...extra,
  };
}

/** The alert ids in the messages the receiver accepted. */
export function alertIdsReceived(receiver: Receiver): string[] {
  return receiver.accepted().flatMap((r) => /\[(alert-\d+)\]/.exec(r.body)?.[1] ?? []);
}

export function writeJson(path: string, value: unknown) {
  writeFileSync(path, JSON.stringify(value));
}
