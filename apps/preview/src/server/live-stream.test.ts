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
});
