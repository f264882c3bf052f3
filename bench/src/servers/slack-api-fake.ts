import type { ServerResponse } from 'node:http';
import { startWebhookSink } from './webhook-sink.js';

/** The three events of an alert's conversation, told apart by the rendered message's fallback text. */
type EventKind = 'created' | 'escalated' | 'resolved' | 'unknown';
const kindOf = (text: unknown): EventKind => {
  if (typeof text !== 'string') return 'unknown';
  if (text.includes('Alert Resolved')) return 'resolved';
  if (text.includes('Alert Escalated')) return 'escalated';
  return text.includes('Alert:') ? 'created' : 'unknown';
};
/** The alert id as the rendered Slack message carries it (its buttons' value). */
const ALERT_ID = /"value":"([^"]+)"/;

/** What one alert's messages looked like from Slack's side, in the order they arrived. */
interface Conversation {
  /** `created`, or `escalated>1700000000.000002` for a reply in the thread of that parent. */
  posts: string[];
  parentTs: string | undefined;
  /** The `ts` of every chat.update of this alert. */
  updated: string[];
}

export interface SlackApiFake {
  /** The channel's `baseUrl`: `http://127.0.0.1:PORT/api/`. */
  baseUrl: string;
  /** chat.postMessage calls answered since the last `reset()`. */
  posts(): number;
  /** chat.update calls answered since the last `reset()`. */
  updates(): number;
  /** Resolved posts made in a thread since the last `reset()`: each is followed by a chat.update of its parent. */
  updatesDue(): number;
  /**
   * How the alerts seen since the last `reset()` were threaded: `inOrder` had their created event
   * as the parent, then the escalation and the resolution as replies in its thread, and one
   * chat.update of the parent; `posts` without an alert id or event kind are counted in `unmatched`.
   */
  conversations(): { alerts: number; inOrder: number; unmatched: number };
  reset(): void;
  close(): Promise<void>;
}

/**
 * A loopback server that answers like the Slack Web API for a bot that can post and edit:
 * `chat.postMessage` answers `{ ok: true, channel, ts }` with a new `ts` each time, always higher
 * than the last; `chat.update` answers `{ ok: true, channel, ts }`. It keeps, per alert, the order
 * in which its messages arrived and which thread each went to.
 */
export async function startSlackApiFake(): Promise<SlackApiFake> {
  let serial = 0;
  const nextTs = () => {
    serial++;
    return `${1_700_000_000 + Math.floor(serial / 1_000_000)}.${String(serial % 1_000_000).padStart(6, '0')}`;
  };
  let posts = 0;
  let updates = 0;
  let updatesDue = 0;
  let unmatched = 0;
  const byAlert = new Map<string, Conversation>();
  const alertOfTs = new Map<string, string>();
  const conversation = (id: string) => {
    let c = byAlert.get(id);
    if (!c) {
      c = { posts: [], parentTs: undefined, updated: [] };
      byAlert.set(id, c);
    }
    return c;
  };
  const ok = (res: ServerResponse, body: object) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, ...body }));

  const sink = await startWebhookSink(
    (path, _req, res, raw) => {
      let body: Record<string, unknown>;
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":false,"error":"invalid_json"}');
        return;
      }
      const channel = body.channel;
      if (path === '/api/chat.postMessage') {
        posts++;
        const ts = nextTs();
        const id = ALERT_ID.exec(raw)?.[1];
        const kind = kindOf(body.text);
        const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
        if (id === undefined || kind === 'unknown') unmatched++;
        else {
          const c = conversation(id);
          c.posts.push(threadTs ? `${kind}>${threadTs}` : kind);
          if (!threadTs && c.parentTs === undefined) c.parentTs = ts;
          alertOfTs.set(ts, id);
        }
        if (threadTs && kind === 'resolved') updatesDue++;
        ok(res, { channel, ts });
        return;
      }
      if (path === '/api/chat.update') {
        updates++;
        const ts = typeof body.ts === 'string' ? body.ts : '';
        const id = alertOfTs.get(ts);
        if (id === undefined) unmatched++;
        else conversation(id).updated.push(ts);
        ok(res, { channel, ts, text: body.text });
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":false,"error":"unknown_method"}');
    },
    { body: true },
  );
  return {
    baseUrl: sink.url('/api/'),
    posts: () => posts,
    updates: () => updates,
    updatesDue: () => updatesDue,
    conversations() {
      let inOrder = 0;
      for (const c of byAlert.values()) {
        const p = c.parentTs;
        const expected = ['created', `escalated>${p}`, `resolved>${p}`];
        if (
          p !== undefined &&
          c.posts.length === 3 &&
          c.posts.every((post, i) => post === expected[i]) &&
          c.updated.length === 1 &&
          c.updated[0] === p
        )
          inOrder++;
      }
      return { alerts: byAlert.size, inOrder, unmatched };
    },
    reset() {
      posts = 0;
      updates = 0;
      updatesDue = 0;
      unmatched = 0;
      byAlert.clear();
      alertOfTs.clear();
    },
    close: sink.close,
  };
}
