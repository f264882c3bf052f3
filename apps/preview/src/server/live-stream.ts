import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { LiveReplay, NumberedEvent } from './live-replay.js';

/** Proxies and browsers drop idle connections; a comment line this often keeps one open. */
const keepAliveMs = 20_000;

/**
 * `GET /api/live`: the app's one live channel, as server-sent events. Each event has an `id:`; a
 * browser that reconnects sends the last one it saw (`Last-Event-ID`, or `?lastEventId=`) and gets
 * what it missed. The first event, `hello`, says `{ latestId, complete }`: when `complete` is false
 * the missed events are gone from the bounded buffer and the browser reloads its state instead.
 */
export function liveStream(replay: LiveReplay) {
  return (c: Context) =>
    streamSSE(c, async (stream) => {
      const raw = c.req.header('last-event-id') ?? c.req.query('lastEventId');
      const lastId = raw !== undefined && /^\d{1,15}$/.test(raw) ? Number(raw) : undefined;
      // Writes go one after another, in the order the events happened: the replay, then live ones.
      let chain: Promise<unknown> = Promise.resolve();
      const write = (message: { id?: string; event: string; data: string }) => {
        chain = chain.then(() => stream.writeSSE(message)).catch(() => {});
      };
      const send = (e: NumberedEvent) =>
        write({ id: String(e.id), event: e.event.type, data: JSON.stringify(e.event.data) });
      // Read the buffer and subscribe in the same tick, so no event falls between the two.
      const { events, complete } = replay.since(lastId);
      const unsubscribe = replay.subscribe(send);
      write({ event: 'hello', data: JSON.stringify({ latestId: replay.latestId, complete }) });
      for (const e of events) send(e);
      const keepAlive = setInterval(() => {
        chain = chain.then(() => stream.write(': keep-alive\n\n')).catch(() => {});
      }, keepAliveMs);
      await new Promise<void>((resolve) => {
        stream.onAbort(resolve);
        const forget = replay.onDisconnect(() => {
          forget();
          resolve();
        });
      });
      clearInterval(keepAlive);
      unsubscribe();
      await chain;
    });
}
