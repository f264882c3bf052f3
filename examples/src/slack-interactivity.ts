// The HTTP endpoint for Slack's buttons (the app's Interactivity Request URL, e.g.
// https://notify.example.com/slack/actions): checks Slack's signature over the exact bytes received,
// reads which alert button was pressed, and calls the service's action hook. Slack wants an answer
// within 3 seconds; the hook only records the action, and workers edit the messages later.
//
//   SLACK_SIGNING_SECRET(_FILE)              the app's signing secret (Basic Information)
//   ACTION_HOOK_URL                          the service's hook, e.g. http://service:3000/actions
//   INTERACTIVITY_HOST, INTERACTIVITY_PORT   where to listen (127.0.0.1:3001)
import { createServer } from 'node:http';
import { isNotifyError } from '@pytake/notify-core';
import { loadSlackConfig, parseAlertAction, verifySlackRequest } from '@pytake/notify-slack';
import { listenAddress, log, readBody } from './config.js';

const { signingSecret } = loadSlackConfig(process.env);
if (!signingSecret) throw new Error('SLACK_SIGNING_SECRET or SLACK_SIGNING_SECRET_FILE is required');
const hook = process.env.ACTION_HOOK_URL;
if (!hook) throw new Error('ACTION_HOOK_URL must name the service action hook');

// Slack's clicks carry the team's id; the organization is yours to map (one workspace per
// organization here, from the tenant's config or your database).
const organizationOfTeam = JSON.parse(process.env.SLACK_TEAM_ORGANIZATIONS ?? '{}') as Record<string, string>;

async function handle(rawBody: Buffer, header: (name: string) => string | undefined) {
  const check = verifySlackRequest({
    signingSecret: signingSecret!,
    rawBody,
    timestamp: header('x-slack-request-timestamp'),
    signature: header('x-slack-signature'),
  });
  // Not from Slack, or replayed later than 5 minutes: nothing is done.
  if (!check.ok) return { status: 401, reason: check.reason };
  let action: ReturnType<typeof parseAlertAction>;
  try {
    action = parseAlertAction(rawBody);
  } catch {
    // A click on something that is not an alert button (or another kind of interaction).
    return { status: 200, reason: 'ignored' };
  }
  // Slack's signature has no nonce: the same click may come twice within the window, so the hook
  // must be safe to repeat (acknowledging an acknowledged alert changes nothing).
  const payload = JSON.parse(new URLSearchParams(rawBody.toString('utf8')).get('payload') ?? '{}');
  const organizationId = organizationOfTeam[payload.team?.id] ?? payload.team?.id;
  const answer = await fetch(hook!, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      action: action.action,
      alertId: action.alertId,
      organizationId,
      userId: action.user.id,
    }),
    signal: AbortSignal.timeout(2000),
  });
  log({ slackAction: action.action, alertId: action.alertId, hook: answer.status });
  return { status: 200 };
}

const server = createServer((request, response) => {
  if (request.method !== 'POST' || request.url !== '/slack/actions') {
    response.writeHead(404).end();
    return;
  }
  readBody(request, 64 * 1024)
    .then((raw) => {
      if (!raw) return { status: 413 };
      const header = (name: string) => {
        const value = request.headers[name];
        return typeof value === 'string' ? value : undefined;
      };
      return handle(raw, header);
    })
    .then(
      ({ status }) => response.writeHead(status).end(),
      (error: unknown) => {
        log({ error: isNotifyError(error) ? error.code : 'hook_failed' });
        // Slack shows the user an error; the click can be made again.
        response.writeHead(500).end();
      },
    );
});

const { host, port } = listenAddress(process.env, 'INTERACTIVITY', { host: '127.0.0.1', port: 3001 });
server.listen(port, host, () => {
  log({ program: 'slack-interactivity', listening: (server.address() as { port: number }).port });
});
const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
};
process.once('SIGTERM', stop);
process.once('SIGINT', stop);
