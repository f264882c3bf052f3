import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPreview, startPreview } from './start-preview.js';

let preview: RunningPreview;
let port: number;

/** A GET sent to the app's loopback address with the `Host` a browser would send for `host`. */
const getAs = (url: string, host: string, path: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const { hostname, port } = new URL(url);
    const req = request({ hostname, port, path, headers: { host } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        body += chunk;
      });
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });

beforeAll(async () => {
  preview = await startPreview({ port: 0, smtpPort: 0, env: { SLACK_SIGNING_SECRET: 'hosts-secret-1' } });
  port = Number(new URL(preview.url).port);
});
afterAll(() => preview?.close());

describe('allowed hosts', () => {
  it('refuses a DNS-rebinding page: any other Host gets 403 on every route, and no secret', async () => {
    for (const host of [
      `attacker.example:${port}`,
      'attacker.example',
      `127.0.0.1.attacker.example:${port}`,
    ]) {
      for (const path of ['/api/config', '/api/outbox', '/api/live', '/metrics', '/']) {
        const response = await getAs(preview.url, host, path);
        expect({ host, path, status: response.status }).toEqual({ host, path, status: 403 });
        expect(response.body).not.toContain('hosts-secret-1');
        expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'host_not_allowed' } });
      }
    }
  });

  it('answers on localhost, 127.0.0.1 and [::1] with any port', async () => {
    for (const host of [`localhost:${port}`, '127.0.0.1', `[::1]:${port}`, 'LOCALHOST:8080']) {
      expect({ host, status: (await getAs(preview.url, host, '/api/config')).status }).toEqual({
        host,
        status: 200,
      });
    }
  });

  it('answers on the names of PREVIEW_ALLOWED_HOSTS or the allowedHosts option too', async () => {
    const byEnv = await startPreview({
      port: 0,
      smtpPort: 0,
      env: { PREVIEW_ALLOWED_HOSTS: 'preview.internal, [fd00::1]' },
    });
    const byOption = await startPreview({
      port: 0,
      smtpPort: 0,
      env: {},
      allowedHosts: ['preview.internal'],
    });
    try {
      for (const running of [byEnv, byOption]) {
        expect((await getAs(running.url, 'preview.internal:8443', '/api/config')).status).toBe(200);
        expect((await getAs(running.url, 'other.internal', '/api/config')).status).toBe(403);
      }
      expect((await getAs(byEnv.url, '[fd00::1]', '/api/config')).status).toBe(200);
    } finally {
      await byEnv.close();
      await byOption.close();
    }
  });

  it('rejects a PREVIEW_ALLOWED_HOSTS entry that is not a host name, naming it', async () => {
    await expect(
      startPreview({
        port: 0,
        smtpPort: 0,
        env: { PREVIEW_ALLOWED_HOSTS: 'preview.internal,https://x.example/' },
      }),
    ).rejects.toMatchObject({
      code: 'config',
      message: expect.stringMatching(/PREVIEW_ALLOWED_HOSTS .*'https:\/\/x\.example\/'/),
    });
  });
});
