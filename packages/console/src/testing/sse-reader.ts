/** One server-sent event as a browser's EventSource would see it. */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
}

export interface SseStream {
  response: Response;
  /** The next event, waiting for it when none is there yet. */
  next(timeoutMs?: number): Promise<SseEvent>;
  /** Every event until `count` have arrived. */
  take(count: number): Promise<SseEvent[]>;
  close(): void;
}

/** Opens a live channel over real HTTP and parses its events the way the SSE spec says. */
export async function openSse(url: string, headers: Record<string, string> = {}): Promise<SseStream> {
  const stop = new AbortController();
  const response = await fetch(url, {
    headers: { accept: 'text/event-stream', ...headers },
    signal: stop.signal,
  });
  const events: SseEvent[] = [];
  let waiting: (() => void) | undefined;
  let ended = false;
  if (response.body) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end = buffer.indexOf('\n\n');
          while (end !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const event: SseEvent = { event: 'message', data: '' };
            const data: string[] = [];
            for (const line of block.split('\n')) {
              if (line.startsWith(':')) continue;
              const colon = line.indexOf(':');
              const field = colon === -1 ? line : line.slice(0, colon);
              const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'id') event.id = value;
              else if (field === 'event') event.event = value;
              else if (field === 'data') data.push(value);
            }
            if (data.length) {
              event.data = data.join('\n');
              events.push(event);
              waiting?.();
            }
            end = buffer.indexOf('\n\n');
          }
        }
      } catch {
        // aborted by close()
      } finally {
        ended = true;
        waiting?.();
      }
    })();
  }
  const next = async (timeoutMs = 5000): Promise<SseEvent> => {
    const deadline = Date.now() + timeoutMs;
    while (events.length === 0) {
      if (ended) throw new Error('the live channel ended');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no event within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        waiting = resolve;
        setTimeout(resolve, left);
      });
      waiting = undefined;
    }
    return events.shift()!;
  };
  return {
    response,
    next,
    async take(count) {
      const taken: SseEvent[] = [];
      while (taken.length < count) taken.push(await next());
      return taken;
    },
    close: () => stop.abort(),
  };
}

/** Whether an event arrives within `ms`: for asserting that nothing does. */
export async function nothingWithin(stream: SseStream, ms: number): Promise<boolean> {
  try {
    await stream.next(ms);
    return false;
  } catch {
    return true;
  }
}
