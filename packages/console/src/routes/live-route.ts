import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { type CheckedConsoleOptions, consoleDefaults } from '../console-options.js';
import { maySee } from '../operator-scope.js';
import type { ConsoleEnv } from './console-env.js';

/**
 * `GET live`: the live channel as server-sent events, one `alert` or `reset` event per change, each
 * with an `id:`. A browser that reconnects sends the last id it saw (`Last-Event-ID`, or
 * `?lastEventId=` for a new EventSource) and gets what it missed, nothing twice. Changes of
 * organizations the operator may not see are left out entirely, ids included.
 */
export function liveRoute(
  { source }: CheckedConsoleOptions,
  keepAliveMs: number = consoleDefaults.keepAliveMs,
) {
  return new Hono<ConsoleEnv>().get('/live', (c) => {
    const operator = c.get('operator');
    const raw = c.req.header('last-event-id') ?? c.req.query('lastEventId');
    // Ids are short; anything else is from nowhere and means "from now", as no id does.
    const after = raw !== undefined && raw.length <= 64 ? raw : undefined;
    const response = streamSSE(c, async (stream) => {
      const stop = new AbortController();
      stream.onAbort(() => stop.abort());
      const keepAlive = setInterval(() => {
        stream.write(': keep-alive\n\n').catch(() => stop.abort());
      }, keepAliveMs);
      const changes = source.changes(after, stop.signal)[Symbol.asyncIterator]();
      try {
        // Started before the headers go, so that the source has fixed where "from now" begins when
        // the browser's EventSource opens: a page that reloads on open then misses nothing between.
        const first = changes.next();
        // Sends the headers at once, so that the browser's EventSource opens before the first change.
        await stream.write(': connected\n\n');
        for (let step = await first; !step.done; step = await changes.next()) {
          const { id, change } = step.value;
          if (change.type === 'alert' && !maySee(operator, change.alert.organizationId)) continue;
          await stream.writeSSE({ id, event: change.type, data: JSON.stringify(change) });
        }
      } finally {
        clearInterval(keepAlive);
        stop.abort();
        // Ends the source's reader; not waited for, the abort above already ends its wait.
        void changes.return?.()?.catch(() => {});
      }
    });
    // hono says `no-cache`; what an operator sees is kept by no cache at all.
    response.headers.set('cache-control', 'no-store');
    return response;
  });
}
