import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { signSlackRequest } from '@pytake/notify-slack';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Program, secretFile, startProgram } from '../src/testing/programs.js';

const SIGNING_SECRET = 'e3b0c44298fc1c149afbf4c8996fb924';
// The service's action hook, as a local server that records what it was asked.
const hookCalls: unknown[] = [];
let hook: Server;
let endpoint: Program;
let url: string;

beforeAll(async () => {
  hook = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      hookCalls.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      response.writeHead(202).end('{}');
    });
  });
  await new Promise<void>((resolve) => hook.listen(0, '127.0.0.1', resolve));
  endpoint = await startProgram('slack-interactivity', {
    SLACK_SIGNING_SECRET_FILE: secretFile('signing-secret', SIGNING_SECRET),
    ACTION_HOOK_URL: `http://127.0.0.1:${(hook.address() as AddressInfo).port}/actions`,
    SLACK_TEAM_ORGANIZATIONS: JSON.stringify({ T024BE7LD: 'acme' }),
    INTERACTIVITY_PORT: '0',
  });
  url = `http://127.0.0.1:${endpoint.started.listening}/slack/actions`;
});
afterAll(async () => {
  await endpoint?.stop();
  await new Promise((resolve) => hook?.close(resolve));
});

// A click as Slack POSTs it: form-encoded `payload`, signed with the app's signing secret.
const click = (action: string, alertId: string) =>
  Buffer.from(
    `payload=${encodeURIComponent(
      JSON.stringify({
        type: 'block_actions',
        team: { id: 'T024BE7LD' },
        user: { id: 'U024BE7LH', username: 'ana' },
        response_url: 'https://hooks.slack.com/actions/T024BE7LD/1/abc',
        trigger_id: '1.2.3',
        actions: [{ type: 'button', action_id: `alert.${action}`, value: alertId }],
      }),
    )}`,
  );
const post = (body: Buffer, headers: object) =>
  fetch(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });

describe('the Slack interactivity endpoint', () => {
  it('verifies a signed click and calls the service hook with the action, alert, organization and user', async () => {
    const body = click('acknowledge', 'alert-42');
    const answer = await post(body, signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000)));
    expect(answer.status).toBe(200);
    expect(hookCalls).toEqual([
      { action: 'acknowledge', alertId: 'alert-42', organizationId: 'acme', userId: 'U024BE7LH' },
    ]);
  });

  it('refuses a forged or stale signature with 401, calling nothing', async () => {
    const body = click('resolve', 'alert-42');
    const signed = signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000));
    expect((await post(body, { ...signed, 'x-slack-signature': 'v0=forged' })).status).toBe(401);
    const stale = signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000) - 600);
    expect((await post(body, stale)).status).toBe(401);
    expect((await post(body, {})).status).toBe(401);
    expect(hookCalls).toHaveLength(1);
  });

  it('logs no secret', () => {
    expect(JSON.stringify(endpoint.lines) + endpoint.stderr()).not.toContain(SIGNING_SECRET);
  });
});
