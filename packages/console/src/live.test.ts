import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveChange } from './api-types.js';
import { createInProcessSource } from './in-process-source.js';
import { alertEvent } from './testing/fixtures.js';
import { openSse } from './testing/sse-reader.js';
import { type ConsoleServer, startConsoleServer } from './testing/start-console-server.js';

const source = createInProcessSource();
let server: ConsoleServer;
const headers = { authorization: 'Bearer ana' };

beforeAll(async () => {
  server = await startConsoleServer({
    source,
    authorize: async (request) =>
      request.headers.get('authorization') === 'Bearer ana' ? { id: 'ana' } : undefined,
  });
});
afterAll(() => server?.close());

const alertIdOf = (data: string) => {
  const change = JSON.parse(data) as LiveChange;
  return change.type === 'alert' ? change.alert.alertId : change.type;
};
const notify = (id: string) => source.event(alertEvent({ id, organizationId: 'acme' }));

describe('GET /console/api/live', () => {
  it('streams each change as a server-sent event with an id', async () => {
    const live = await openSse(`${server.origin}/console/api/live`, headers);
    try {
      expect(live.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
      expect(live.response.headers.get('cache-control')).toBe('no-store');
      notify('first');
      const event = await live.next();
      expect(event.event).toBe('alert');
      expect(event.id).toMatch(/^[a-z0-9]+\.\d+$/);
      expect(alertIdOf(event.data)).toBe('first');
    } finally {
      live.close();
    }
  });

  it('resumes from Last-Event-ID after a reconnect, without loss or repeat', async () => {
    const first = await openSse(`${server.origin}/console/api/live`, headers);
    notify('r1');
    notify('r2');
    const seen = await first.take(2);
    first.close();
    // While the client is away.
    notify('r3');
    notify('r4');
    const second = await openSse(`${server.origin}/console/api/live`, {
      ...headers,
      'last-event-id': seen[1]!.id!,
    });
    try {
      notify('r5');
      const resumed = await second.take(3);
      expect([...seen, ...resumed].map((e) => alertIdOf(e.data))).toEqual(['r1', 'r2', 'r3', 'r4', 'r5']);
      const ids = [...seen, ...resumed].map((e) => e.id);
      expect(new Set(ids).size).toBe(5);
    } finally {
      second.close();
    }
    // `?lastEventId=` does the same for a new EventSource, which cannot set the header.
    const third = await openSse(
      `${server.origin}/console/api/live?lastEventId=${encodeURIComponent(seen[1]!.id!)}`,
      headers,
    );
    try {
      expect((await third.take(3)).map((e) => alertIdOf(e.data))).toEqual(['r3', 'r4', 'r5']);
    } finally {
      third.close();
    }
  });

  it('says reset to a client whose id is from before a restart', async () => {
    const live = await openSse(`${server.origin}/console/api/live`, {
      ...headers,
      'last-event-id': 'old.42',
    });
    try {
      const event = await live.next();
      expect(event.event).toBe('reset');
      expect(JSON.parse(event.data)).toEqual({ type: 'reset' });
    } finally {
      live.close();
    }
  });
});
