import { createLiveCursor, type LiveHello } from './live-cursor.js';

/** Only the part of a MessageEvent handlers read. */
export interface LiveMessage {
  data: string;
}

export interface LiveClient {
  addEventListener(type: string, handler: (event: LiveMessage) => void): void;
  close(): void;
}

const reopenMs = 2000;

/**
 * The app's one live channel (`/api/live`, server-sent events), applying each event once. The
 * browser's EventSource resends `Last-Event-ID` when it reconnects; when it gives up (the server was
 * down), this opens a new one that names the last id in the query. `onReload` runs when the server
 * cannot replay what was missed, and on the first connection.
 */
export function connectLive(url: string, options: { onReload(): void }): LiveClient {
  const cursor = createLiveCursor();
  const handlers = new Map<string, ((event: LiveMessage) => void)[]>();
  let source: EventSource | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  const listen = (s: EventSource, type: string) =>
    s.addEventListener(type, (e) => {
      const message = e as MessageEvent<string>;
      if (!cursor.accept(Number(message.lastEventId))) return;
      for (const handler of handlers.get(type) ?? []) handler(message);
    });

  const open = () => {
    const s = new EventSource(cursor.lastId > 0 ? `${url}?lastEventId=${cursor.lastId}` : url);
    source = s;
    s.addEventListener('hello', (e) => {
      const hello = JSON.parse((e as MessageEvent<string>).data) as LiveHello;
      if (cursor.hello(hello) === 'reload') options.onReload();
    });
    for (const type of handlers.keys()) listen(s, type);
    s.onerror = () => {
      if (s.readyState !== EventSource.CLOSED || closed) return;
      timer = setTimeout(open, reopenMs);
    };
  };
  open();

  return {
    addEventListener(type, handler) {
      const list = handlers.get(type);
      if (list) list.push(handler);
      else {
        handlers.set(type, [handler]);
        if (source) listen(source, type);
      }
    },
    close() {
      closed = true;
      clearTimeout(timer);
      source?.close();
    },
  };
}
