import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  alertEvent,
  type Program,
  postJson,
  secretFile,
  startProgram,
  until,
} from '../src/testing/programs.js';
import {
  type Receiver,
  startReceiver,
  startRedis,
  type TestRedis,
  tenantsFile,
  workerEnv,
} from '../src/testing/setup.js';

const TOKEN = 'console-token-0123456789abcdef';
let redis: TestRedis;
let receiver: Receiver;
let service: Program;
let worker: Program;
let opsConsole: Program;

beforeAll(async () => {
  [redis, receiver] = await Promise.all([startRedis({ aof: true }), startReceiver()]);
  service = await startProgram('service-enqueue', { REDIS_URL: redis.connection.path, SERVICE_PORT: '0' });
  [worker, opsConsole] = await Promise.all([
    startProgram('worker', workerEnv(redis, tenantsFile(receiver.base))),
    startProgram('console', {
      REDIS_URL: redis.connection.path,
      CONSOLE_TOKEN_FILE: secretFile('console-token', TOKEN),
      ACTION_HOOK_URL: `http://127.0.0.1:${service.started.listening}/actions`,
      CONSOLE_PORT: '0',
    }),
  ]);
});
afterAll(async () => {
  await Promise.all([service?.stop(), worker?.stop(), opsConsole?.stop()]);
  await Promise.all([receiver?.close(), redis?.stop()]);
});

describe('the console program', () => {
  it('refuses a request without the token, and lists what the worker delivered with it', async () => {
    const base = `http://127.0.0.1:${opsConsole.started.listening}/console`;
    expect((await fetch(`${base}/api/alerts`)).status).toBe(401);
    expect((await fetch(`${base}/api/alerts`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(
      401,
    );

    expect(
      (await postJson(`http://127.0.0.1:${service.started.listening}/alerts`, alertEvent(7))).status,
    ).toBe(202);
    const headers = { authorization: `Bearer ${TOKEN}` };
    type Page = { alerts: { alertId: string; targets: { state: string }[] }[] };
    let page: Page = { alerts: [] };
    expect(
      await until(
        async () => {
          page = (await (await fetch(`${base}/api/alerts`, { headers })).json()) as Page;
          return page.alerts[0]?.targets[0]?.state === 'delivered';
        },
        60_000,
        200,
      ),
    ).toBe(true);
    expect(page.alerts.map((a) => a.alertId)).toEqual(['alert-7']);
    expect((await fetch(`${base}/`, { headers })).status).toBe(200);
  });

  it('resolves an alert through the service hook, and the worker delivers the resolution', async () => {
    const base = `http://127.0.0.1:${opsConsole.started.listening}/console`;
    const origin = `http://127.0.0.1:${opsConsole.started.listening}`;
    const acted = await fetch(`${base}/api/alerts/acme/alert-7/actions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', origin },
      body: JSON.stringify({ kind: 'resolve' }),
    });
    expect(acted.status).toBe(200);
    expect(await until(() => receiver.accepted().length === 2, 60_000)).toBe(true);
  });
});
