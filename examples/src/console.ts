// The operator console, mounted in a node:http server beside nothing else: what every worker
// delivered, from Redis, with the dead letters and their retries. Behind your sign-in: `authorize`
// runs for every request; here a bearer token, in production your proxy's or SSO's identity.
//
//   REDIS_URL(_FILE)             as the workers'
//   CONSOLE_TOKEN(_FILE)         the operators' bearer token
//   ACTION_HOOK_URL              the service's action hook, for Acknowledge and Resolve (optional)
//   CONSOLE_HOST, CONSOLE_PORT   where to listen (127.0.0.1:3002); the console is at /console/
import { timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
import { createConsole, createRedisSource } from '@pytake/notify-console';
import { readSecretEnv } from '@pytake/notify-core';
import { createNotificationQueue } from '@pytake/notify-queue';
import { listenAddress, log, redisConnection } from './config.js';

const token = readSecretEnv(process.env, 'CONSOLE_TOKEN');
if (!token || token.length < 16)
  throw new Error('CONSOLE_TOKEN or CONSOLE_TOKEN_FILE must hold at least 16 characters');
const expected = Buffer.from(`Bearer ${token}`);
const hook = process.env.ACTION_HOOK_URL;

const queue = createNotificationQueue({ connection: redisConnection() });
const opsConsole = createConsole({
  source: createRedisSource({ queue }),
  basePath: '/console',
  // Undefined refuses with a 401. Give `organizations` to limit an operator to some of them.
  authorize: async (request) => {
    const given = Buffer.from(request.headers.get('authorization') ?? '');
    return given.length === expected.length && timingSafeEqual(given, expected)
      ? { id: 'operator', name: 'Operator' }
      : undefined;
  },
  // The alert's state is the service's: the console asks it through the same hook as Slack's buttons.
  ...(hook && {
    onAction: async (action, operator) => {
      const answer = await fetch(hook, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          action: action.kind,
          alertId: action.alertId,
          organizationId: action.organizationId,
          userId: operator.id,
        }),
        signal: AbortSignal.timeout(5000),
      });
      if (!answer.ok) throw new Error(`the action hook answered ${answer.status}`);
    },
  }),
});

const server = createServer(opsConsole.node);
const { host, port } = listenAddress(process.env, 'CONSOLE', { host: '127.0.0.1', port: 3002 });
server.listen(port, host, () => {
  log({ program: 'console', listening: (server.address() as { port: number }).port });
});
const stop = () => {
  server.close(() => {
    queue.close().then(() => process.exit(0));
  });
  // The live channel's connections stay open: close them all.
  server.closeAllConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
