// A service that enqueues alert events: POST /alerts with an alert event as JSON answers 202 and the
// event's job id once Redis has it. It never talks to SMTP or Slack; workers deliver.
//
// Also the service's action hook, POST /actions ({ action, alertId, organizationId, userId }), which
// the Slack endpoint and the console call when someone acknowledges or resolves an alert: the service
// changes the alert (here in memory; yours is in your database) and has the alert's messages follow.
//
//   REDIS_URL(_FILE)          redis://…, rediss://… or a socket path
//   SERVICE_HOST, SERVICE_PORT where to listen (127.0.0.1:3000)
import { createServer } from 'node:http';
import { type AlertEventInput, type AlertInput, isNotifyError, ValidationError } from '@pytake/notify-core';
import { createNotificationQueue, QueueUnavailableError } from '@pytake/notify-queue';
import { listenAddress, log, readBody, redisConnection } from './config.js';

const queue = createNotificationQueue({ connection: redisConnection() });
// Your database stands here: the latest state of each alert this service raised.
const alerts = new Map<string, AlertInput>();
const keyOf = (organizationId: string, alertId: string) => `${organizationId}/${alertId}`;

async function enqueue(event: AlertEventInput): Promise<{ status: number; body: object }> {
  try {
    const { id } = await queue.enqueue(event);
    alerts.set(keyOf(event.alert.organizationId, event.alert.id), event.alert);
    return { status: 202, body: { id } };
  } catch (error) {
    // A malformed event: the caller's mistake; nothing was enqueued.
    if (error instanceof ValidationError) return { status: 400, body: { error: error.message } };
    // Redis down or full: nothing was enqueued, try again later (your caller, or your own retry).
    if (error instanceof QueueUnavailableError) return { status: 503, body: { error: 'queue unavailable' } };
    throw error;
  }
}

async function act(input: {
  action?: string;
  alertId?: string;
  organizationId?: string;
  userId?: string;
}): Promise<{ status: number; body: object }> {
  const alert = alerts.get(keyOf(String(input.organizationId), String(input.alertId)));
  if (!alert) return { status: 404, body: { error: 'no such alert' } };
  if (input.action === 'resolve') {
    // A new event: a resolution message to every target, in the alert's order.
    const resolved = { ...alert, status: 'resolved' as const };
    return enqueue({ type: 'alert.resolved', occurredAt: new Date(), alert: resolved });
  }
  if (input.action === 'acknowledge') {
    const acknowledged = { ...alert, status: 'acknowledged' as const };
    alerts.set(keyOf(alert.organizationId, alert.id), acknowledged);
    // No new message: the alert's Web API messages are edited in place by a worker.
    const { id } = await queue.updateAlertMessages(acknowledged);
    return { status: 202, body: { id } };
  }
  return { status: 400, body: { error: 'action must be acknowledge or resolve' } };
}

const server = createServer((request, response) => {
  const reply = ({ status, body }: { status: number; body: object }) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(JSON.stringify(body));
  };
  const route = `${request.method} ${request.url}`;
  if (route !== 'POST /alerts' && route !== 'POST /actions')
    return reply({ status: 404, body: { error: 'not found' } });
  readBody(request, 64 * 1024)
    .then((raw) => {
      if (!raw) return { status: 413, body: { error: 'body over 64 KiB' } };
      let input: unknown;
      try {
        input = JSON.parse(raw.toString('utf8'));
      } catch {
        return { status: 400, body: { error: 'body is not JSON' } };
      }
      return route === 'POST /alerts' ? enqueue(input as AlertEventInput) : act(input as object);
    })
    .then(reply, (error: unknown) => {
      log({ error: isNotifyError(error) ? error.code : 'unexpected' });
      reply({ status: 500, body: { error: 'internal error' } });
    });
});

const { host, port } = listenAddress(process.env, 'SERVICE', { host: '127.0.0.1', port: 3000 });
server.listen(port, host, () => {
  log({ program: 'service', listening: (server.address() as { port: number }).port });
});

// Stop taking requests, let those in progress finish, then close the queue's connection.
const stop = () => {
  server.close(() => {
    queue.close().then(() => process.exit(0));
  });
  server.closeIdleConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
