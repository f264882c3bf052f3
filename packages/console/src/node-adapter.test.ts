import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsole } from './create-console.js';
import { createInProcessSource } from './in-process-source.js';

const servers: Array<ReturnType<typeof createServer>> = [];
afterEach(() => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections();
    server.close();
  }
});

async function listen(handler: RequestListener) {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('createConsole().node', () => {
  it('routes on the full path when Express has stripped its mount path from req.url', async () => {
    const opsConsole = createConsole({
      source: createInProcessSource(),
      authorize: async () => ({ id: 'ana' }),
    });
    // What `app.use('/console', opsConsole.node)` hands over: url without the mount, originalUrl with it.
    const origin = await listen((req, res) => {
      Object.assign(req, { originalUrl: req.url, url: req.url!.replace(/^\/console/, '') || '/' });
      opsConsole.node(req, res);
    });
    const response = await fetch(`${origin}/console/api/operator`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ id: 'ana', actionsEnabled: false, queueEnabled: false });
  });

  it('answers 500 with nothing more when authorize throws, and tells onError', async () => {
    const errors: unknown[] = [];
    const opsConsole = createConsole({
      source: createInProcessSource(),
      authorize: async () => {
        throw new Error('database password=hunter2 refused');
      },
      onError: (error) => errors.push(error),
    });
    const origin = await listen(opsConsole.node);
    const response = await fetch(`${origin}/console/api/alerts`);
    expect(response.status).toBe(500);
    expect(await response.text()).toBe(
      '{"error":{"code":"internal","message":"The console could not answer"}}',
    );
    expect(errors).toHaveLength(1);
  });
});
