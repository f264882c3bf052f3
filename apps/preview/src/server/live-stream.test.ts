import { request } from 'node:http';
import type { Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningPreview, startPreview } from './start-preview.js';

let preview: RunningPreview;

beforeAll(async () => {
  preview = await startPreview({ port: 0, smtpPort: 0, env: { SLACK_SIGNING_SECRET: 'live-secret-1' } });
});
afterAll(() => preview?.close());

interface Sse {
  id?: string;
  event: string;
  data: string;
}

/** Opens /api/live and reads server-sent events until `until` says enough (bounded by a deadline). */
async function readLive(
  headers: Record<string, string>,
  until: (events: Sse[]) => boolean,
  act?: () => void,
) {
  const controller = new AbortController();
  const response = await fetch(`${preview.url}/api/live`, { headers, signal: controller.signal });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const events: Sse[] = [];
  let text = '';
  const deadline = Date.now() + 30_000;
  let acted = false;
  try {
    while (Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
      const blocks = text.split('\n\n');
      text = blocks.pop()!;
      for (const block of blocks) {
        const e: Sse = { event: 'message', data: '' };
        for (const line of block.split('\n')) {
          const [key, ...rest] = line.split(': ');
          if (key === 'id') e.id = rest.join(': ');
          if (key === 'event') e.event = rest.join(': ');
          if (key === 'data') e.data = rest.join(': ');
        }
        if (!block.startsWith(':')) events.push(e);
      }
      if (!acted && events.some((e) => e.event === 'hello')) {
        acted = true;
        act?.();
      }
      if (until(events)) break;
    }
  } finally {
    controller.abort();
  }
  return events;
}

const publish = (n: number) =>
  preview.preview.live.publish({ type: 'outbox', data: { kind: 'slack', id: `live-test-${n}` } });
const ids = (events: Sse[]) => events.filter((e) => e.id).map((e) => Number(e.id));

describe('GET /api/live', () => {
  it('numbers events, and replays exactly the missed ones to a browser that reconnects with Last-Event-ID', async () => {
    const first = await readLive(
      {},
      (events) => ids(events).length >= 3,
      () => [1, 2, 3].forEach(publish),
    );
    const seen = ids(first);
    expect(seen).toHaveLength(3);
    const last = seen[2]!;
    // While the browser is away:
    [4, 5].forEach(publish);
    const again = await readLive(
      { 'last-event-id': String(last) },
      (events) => ids(events).length >= 3,
      () => publish(6),
    );
    const hello = JSON.parse(again.find((e) => e.event === 'hello')!.data) as { complete: boolean };
    expect(hello.complete).toBe(true);
    // Missed 4 and 5, then 6 live: none lost, none twice, in order.
    expect(ids(again)).toEqual([last + 1, last + 2, last + 3]);
    expect(again.filter((e) => e.id).map((e) => JSON.parse(e.data).id)).toEqual([
      'live-test-4',
      'live-test-5',
      'live-test-6',
    ]);
  });

  it('tells a browser whose last id is unknown (the app restarted) to reload its state', async () => {
    const events = await readLive({ 'last-event-id': '999999' }, (e) => e.some((x) => x.event === 'hello'));
    expect(JSON.parse(events[0]!.data)).toMatchObject({ complete: false });
  });

  it('tells a browser to reload its state rather than replay more than half the unsent bound', async () => {
    const from = preview.preview.replay.latestId;
    // 12 × 64 KiB: more than half of the 1 MiB a client may leave unread.
    for (let i = 0; i < 12; i++) {
      preview.preview.live.publish({
        type: 'outbox',
        data: { kind: 'slack', id: `r-${i}`, big: 'y'.repeat(65_536) },
      });
    }
    const events = await readLive({ 'last-event-id': String(from) }, (e) =>
      e.some((x) => x.event === 'hello'),
    );
    expect(JSON.parse(events[0]!.data)).toMatchObject({ complete: false });
  });
});

/** A browser that reads /api/live as fast as it can, keeping each event's id. */
function openReader() {
  const controller = new AbortController();
  const seen: number[] = [];
  const done = (async () => {
    const response = await fetch(`${preview.url}/api/live`, { signal: controller.signal });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      text += value;
      const blocks = text.split('\n\n');
      text = blocks.pop()!;
      for (const block of blocks) {
        const id = /^id: (\d+)$/m.exec(block)?.[1];
        if (id) seen.push(Number(id));
      }
    }
  })().catch(() => {});
  return {
    seen,
    close: async () => {
      controller.abort();
      await done;
    },
  };
}

/** Opens /api/live with node:http and stops reading its socket as soon as the answer starts. */
function openStalled() {
  return new Promise<{ read: () => void; closed: () => boolean }>((resolve, reject) => {
    const { hostname, port } = new URL(preview.url);
    const req = request({ hostname, port, path: '/api/live' }, (res) => {
      // No listener on `res` yet: one would make the parser read the socket again.
      const socket: Socket = res.socket;
      socket.pause();
      let closed = false;
      socket.once('close', () => {
        closed = true;
      });
      res.on('error', () => {});
      // Reads (and throws away) whatever it is sent from now on.
      const read = () => {
        res.resume();
        socket.resume();
      };
      resolve({ read, closed: () => closed });
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GET /api/live with a client that never reads', () => {
  it('drops that client once its unsent events pass the bound, keeps nothing of it, and serves the others', async () => {
    const replay = preview.preview.replay;
    // The streams of the tests above are gone, with nothing of them left.
    await expect.poll(() => replay.streams).toBe(0);
    const before = 0;
    const reader = openReader();
    const stalled = await openStalled();
    await expect.poll(() => replay.streams).toBe(before + 2);

    // 64 KiB a piece: at most 64 MiB, far past the bound plus what the sockets buffer. Each is
    // published once the reading client has the one before, as a browser that keeps up would.
    const big = 'x'.repeat(64 * 1024);
    let published = 0;
    while (published < 1000 && replay.streams === before + 2) {
      preview.preview.live.publish({ type: 'outbox', data: { kind: 'slack', id: `big-${published}`, big } });
      published += 1;
      const latest = replay.latestId;
      await expect.poll(() => reader.seen.at(-1), { interval: 1 }).toBe(latest);
    }
    expect(replay.streams).toBe(before + 1);

    // The server closed it: once it reads again, its socket ends after what was already sent.
    stalled.read();
    await expect.poll(() => stalled.closed()).toBe(true);

    publish(-1);
    const latest = replay.latestId;
    await expect.poll(() => reader.seen.at(-1)).toBe(latest);
    // Every event, in order, to the client that reads.
    expect(reader.seen).toEqual(Array.from({ length: reader.seen.length }, (_, i) => reader.seen[0]! + i));
    await reader.close();
    await expect.poll(() => replay.streams).toBe(before);
  });
});
