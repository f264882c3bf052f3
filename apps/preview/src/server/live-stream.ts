import type { HttpBindings } from '@hono/node-server';
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import { previewDefaults } from './defaults.js';
import type { LiveReplay, NumberedEvent } from './live-replay.js';

/** Proxies and browsers drop idle connections; a comment line this often keeps one open. */
const keepAliveMs = 20_000;

/** One server-sent event as it goes on the wire; `data` is JSON, so it is one line. */
const eventText = (event: string, data: string, id?: number) =>
  `event: ${event}\ndata: ${data}\n${id === undefined ? '' : `id: ${id}\n`}\n`;

/**
 * `GET /api/live`: the app's one live channel, as server-sent events. Each event has an `id:`; a
 * browser that reconnects sends the last one it saw (`Last-Event-ID`, or `?lastEventId=`) and gets
 * what it missed. The first event, `hello`, says `{ latestId, complete }`: when `complete` is false
 * the missed events are gone from the bounded buffer and the browser reloads its state instead.
 *
 * A client that stops reading is dropped once what it has not taken passes `maxUnsentBytes`:
 * otherwise every event published from then on waits in memory for it. Nothing of a stream stays
 * once it ends, however it ends.
 */
export function liveStream(replay: LiveReplay, maxUnsentBytes: number = previewDefaults.liveMaxUnsentBytes) {
  return (c: Context) =>
    streamSSE(c, async (stream) => {
      const raw = c.req.header('last-event-id') ?? c.req.query('lastEventId');
      const lastId = raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
      let end = () => {};
      const ended = new Promise<void>((resolve) => {
        end = resolve;
      });
      let dropped = false;
      const drop = () => {
        dropped = true;
        end();
        // Closing the connection frees what its socket holds (the browser reconnects and resumes
        // from its Last-Event-ID); aborting the stream settles the writes still waiting.
        (c.env as Partial<HttpBindings> | undefined)?.outgoing?.destroy();
        stream.abort();
      };
      // Bytes handed to `write` that the connection has not taken yet.
      let unsent = 0;
      // Writes go one after another, in the order the events happened: the replay, then live ones.
      let chain: Promise<unknown> = Promise.resolve();
      const write = (text: string) => {
        if (dropped) return;
        const size = Buffer.byteLength(text);
        unsent += size;
        if (unsent > maxUnsentBytes) return drop();
        chain = chain
          .then(() => stream.write(text))
          .catch(() => {})
          .finally(() => {
            unsent -= size;
          });
      };
      const textOf = (e: NumberedEvent) => eventText(e.event.type, JSON.stringify(e.event.data), e.id);
      // Read the buffer and subscribe in the same tick, so no event falls between the two.
      const since = replay.since(lastId);
      const unsubscribe = replay.subscribe((e) => write(textOf(e)));
      const forget = replay.onDisconnect(end);
      stream.onAbort(end);
      const missed = since.events.map(textOf);
      // A replay that does not fit well within the bound is not sent: the browser reloads its state
      // instead of being dropped and asking for the same events again.
      const fits = missed.reduce((sum, text) => sum + Buffer.byteLength(text), 0) <= maxUnsentBytes / 2;
      const complete = since.complete && fits;
      write(eventText('hello', JSON.stringify({ latestId: replay.latestId, complete })));
      if (fits) for (const text of missed) write(text);
      const keepAlive = setInterval(() => write(': keep-alive\n\n'), keepAliveMs);
      await ended;
      clearInterval(keepAlive);
      unsubscribe();
      forget();
      await chain;
    });
}
