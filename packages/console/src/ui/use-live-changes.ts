import { useEffect, useRef, useState } from 'react';
import type { LiveChange } from '../api-types.js';
import { apiBase } from './api-client.js';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/**
 * Listens to the console's live channel. EventSource reconnects by itself and sends the last id it
 * saw (`Last-Event-ID`), so the server replays what was missed; a `reset` says to reload instead,
 * and so does the first opening.
 */
export function useLiveChanges(onChange: (change: LiveChange) => void): LiveState {
  const [state, setState] = useState<LiveState>('connecting');
  // The latest callback, without reconnecting each time the page re-renders.
  const handler = useRef(onChange);
  handler.current = onChange;
  useEffect(() => {
    const source = new EventSource(`${apiBase}/live`);
    const receive = (event: MessageEvent<string>) => handler.current(JSON.parse(event.data) as LiveChange);
    source.addEventListener('alert', receive);
    source.addEventListener('reset', receive);
    let opened = false;
    source.onopen = () => {
      setState('live');
      // The first time only: what changed between the page's first load and the channel's start
      // came through neither, so the page reloads as after a reset. A reconnect resumes by its id.
      if (!opened) handler.current({ type: 'reset' });
      opened = true;
    };
    source.onerror = () => setState('reconnecting');
    return () => source.close();
  }, []);
  return state;
}
