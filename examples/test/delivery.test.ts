import { readFileSync } from 'node:fs';
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
  alertIdsReceived,
  type Receiver,
  startReceiver,
  startRedis,
  type TestRedis,
  tenantsFile,
  workerEnv,
} from '../src/testing/setup.js';
import { startSmtpServer } from '../src/testing/smtp-server.js';

const SMTP_PASSWORD = 'smtp-password-from-a-file';
let redis: TestRedis;
let receiver: Receiver;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
let service: Program;
let worker: Program;

beforeAll(async () => {
  [redis, receiver, smtp] = await Promise.all([
    startRedis({ aof: true }),
    startReceiver(),
    startSmtpServer('notify', SMTP_PASSWORD),
  ]);
  [service, worker] = await Promise.all([
    startProgram('service-enqueue', { REDIS_URL: redis.connection.path, SERVICE_PORT: '0' }),
    startProgram(
      'worker',
      workerEnv(redis, tenantsFile(receiver.base, true), {
        SMTP_HOST: '127.0.0.1',
        SMTP_PORT: String(smtp.port),
        SMTP_USE_TLS: 'false',
        SMTP_USER: 'notify',
        SMTP_PASSWORD_FILE: secretFile('smtp-password', SMTP_PASSWORD),
        SMTP_FROM_EMAIL: 'alerts@pytake.test',
      }),
    ),
  ]);
});
afterAll(async () => {
  await Promise.all([service?.stop(), worker?.stop('SIGKILL')]);
  await Promise.all([receiver?.close(), smtp?.close(), redis?.stop()]);
});

describe('the service and the worker', () => {
  it('deliver an alert the service enqueued to Slack and by email, through the SMTP login from a file', async () => {
    expect(worker.started.routes).toEqual(['email', 'slack']);
    const answer = await postJson(`http://127.0.0.1:${service.started.listening}/alerts`, alertEvent(1));
    expect(answer.status).toBe(202);
    expect(((await answer.json()) as { id: string }).id).toMatch(/^evt-/);

    expect(
      await until(() => alertIdsReceived(receiver).includes('alert-1') && smtp.received.length === 1, 60_000),
    ).toBe(true);
    expect(smtp.received[0]!.to).toEqual(['oncall@acme.test']);
    expect(smtp.received[0]!.raw).toContain('alert-1');
    expect(smtp.refusedLogins()).toBe(0);
  });

  it('answers 400 for a malformed event, enqueuing nothing', async () => {
    const answer = await postJson(`http://127.0.0.1:${service.started.listening}/alerts`, {
      type: 'alert.created',
    });
    expect(answer.status).toBe(400);
  });

  it('serves /livez, /readyz and /metrics with the delivery counters and the queue gauges', async () => {
    const health = `http://127.0.0.1:${worker.started.health}`;
    expect((await fetch(`${health}/livez`)).status).toBe(200);
    expect(await (await fetch(`${health}/readyz`)).json()).toEqual({ ok: true, state: 'running' });
    const metrics = await (await fetch(`http://127.0.0.1:${worker.started.metrics}/metrics`)).text();
    expect(metrics).toContain('notify_deliveries_total{channel="slack",status="delivered"} 1');
    expect(metrics).toContain('notify_deliveries_total{channel="email",status="delivered"} 1');
    expect(metrics).toMatch(/notify_queue_jobs\{queue="deliveries-slack",state="dead"\} 0/);
    expect(metrics).toMatch(/notify_worker_rate_limit_events_total\{kind="granted"\} \d/);
    expect(metrics).toContain('notify_queue_rate_limit_holds{route="slack"} 0');
  });

  it('serves every metric that docs/deploy.md names', async () => {
    const guide = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
    const named = new Set(guide.match(/\bnotify_[a-z_]+[a-z]\b/g));
    expect(named.size).toBeGreaterThanOrEqual(5);
    const metrics = await (await fetch(`http://127.0.0.1:${worker.started.metrics}/metrics`)).text();
    const served = new Set(metrics.split('\n').flatMap((line) => /^# TYPE (\S+)/.exec(line)?.[1] ?? []));
    expect([...named].filter((name) => !served.has(name))).toEqual([]);
  });

  it('logs no secret, address or webhook path', () => {
    const text = JSON.stringify(worker.lines) + worker.stderr() + JSON.stringify(service.lines);
    for (const secret of [SMTP_PASSWORD, 'oncall@acme.test', 'webhook-secret-path', redis.connection.path])
      expect(text).not.toContain(secret);
  });

  it('drains and exits 0 on SIGTERM', async () => {
    expect(await worker.stop('SIGTERM')).toBe(0);
    expect(worker.lines.some((line) => line.stopped === true)).toBe(true);
  });
});
