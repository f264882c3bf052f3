import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type EventOfText, inEventOrder, parseEventText } from './event-text.js';

/** A `chat.postMessage` Slack took. */
export interface SlackPost {
  channel: string;
  ts: string;
  /** Set for a reply: the ts of the message it replies to. */
  threadTs?: string;
  text: string;
  /** The event the text tells of (see event-text.ts). */
  event?: EventOfText;
  /** The bearer token: each worker process of a test has its own, so a post names its sender. */
  token: string;
  /** When the request's body arrived (the message is in the channel from then on). */
  at: number;
}

/** A `chat.update` Slack took. */
export interface SlackEdit {
  channel: string;
  ts: string;
  text: string;
  event?: EventOfText;
  token: string;
  at: number;
}

/** A POST to an incoming webhook (any path outside /api/). */
export interface WebhookPost {
  path: string;
  text: string;
  event?: EventOfText;
  at: number;
}

/** What Slack answers instead of `ok`, for a post whose event this returns it for. */
export type Refusal = { status: number } | { error: string };

export interface FakeSlackApiOptions {
  /** A random wait before taking each request and another before answering it, from a seeded generator. */
  delay?: { seed: number; maxMs: number };
  /** Refuses a post (Web API or webhook): `{ status: 500 }` is transient, `{ error: 'invalid_blocks' }` permanent. */
  refuse?: (post: { event?: EventOfText; text: string }) => Refusal | undefined;
}

/** One alert's conversation in one channel, as Slack shows it. */
export interface ThreadView {
  channel: string;
  alertId: string;
  /** Posts without thread_ts: one, unless a parent was posted twice. */
  parents: SlackPost[];
  replies: SlackPost[];
  /** Replies whose thread_ts is not one of this alert's parents. */
  outsideThread: SlackPost[];
  /** Each event's first post, in the order they arrived. */
  firstPosts: SlackPost[];
  /** Posts of an event already posted. */
  duplicates: number;
  /** True when the first posts arrived in event order. */
  inOrder: boolean;
  /** Edits of a parent message to the text of the alert's resolved event. */
  resolvedEdits: SlackEdit[];
}

// mulberry32: small, fast, and the same sequence for the same seed on every machine.
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());

/**
 * A node:http server on 127.0.0.1 that answers like Slack: `chat.postMessage` and `chat.update` of
 * the Web API (JSON bodies, `Authorization: Bearer xox…`, HTTP 200 with `ok`), and incoming webhooks
 * on every other path (`ok` as text). It gives each post a unique, increasing ts, refuses an edit of
 * a message it never posted (`message_not_found`, as Slack does), and keeps every post and edit for
 * the tests to read as conversations.
 */
export async function startFakeSlackApi(options: FakeSlackApiOptions = {}) {
  const posts: SlackPost[] = [];
  const edits: SlackEdit[] = [];
  const webhookPosts: WebhookPost[] = [];
  const random = seededRandom(options.delay?.seed ?? 1);
  const wait = () => sleep(options.delay ? Math.floor(random() * options.delay.maxMs) : 0);
  // Requests taken and not answered yet, by token: what a worker killed now had in flight.
  const open = new Map<string, number>();
  let sequence = 0;
  const nextTs = () => {
    sequence++;
    return `${1_700_000_000 + Math.floor(sequence / 1_000_000)}.${String(sequence % 1_000_000).padStart(6, '0')}`;
  };

  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
    res.end(JSON.stringify(body));
  };

  const api = (method: string, token: string, body: Record<string, unknown>) => {
    const channel = typeof body.channel === 'string' ? body.channel : '';
    const text = typeof body.text === 'string' ? body.text : '';
    if (!/^xox[a-z]-\S+$/.test(token)) return { status: 200, body: { ok: false, error: 'not_authed' } };
    if (!channel) return { status: 200, body: { ok: false, error: 'channel_not_found' } };
    const event = parseEventText(text);
    if (method === 'chat.postMessage') {
      const refusal = options.refuse?.({ event, text });
      if (refusal && 'status' in refusal) return { status: refusal.status, body: { ok: false } };
      if (refusal) return { status: 200, body: { ok: false, error: refusal.error } };
      const ts = nextTs();
      const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
      posts.push({ channel, ts, ...(threadTs ? { threadTs } : {}), text, event, token, at: Date.now() });
      return { status: 200, body: { ok: true, channel, ts, message: { text, ts } } };
    }
    if (method === 'chat.update') {
      const ts = typeof body.ts === 'string' ? body.ts : '';
      if (!posts.some((p) => p.channel === channel && p.ts === ts))
        return { status: 200, body: { ok: false, error: 'message_not_found' } };
      edits.push({ channel, ts, text, event, token, at: Date.now() });
      return { status: 200, body: { ok: true, channel, ts, text } };
    }
    return { status: 200, body: { ok: false, error: 'unknown_method' } };
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const path = req.url ?? '/';
    const token = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''))?.[1] ?? '';
    open.set(token, (open.get(token) ?? 0) + 1);
    try {
      await wait();
      let body: Record<string, unknown> = {};
      try {
        body = JSON.parse(raw) as Record<string, unknown>;
      } catch {
        return answer(res, 200, { ok: false, error: 'invalid_json' });
      }
      const method = /^\/api\/([\w.]+)$/.exec(path)?.[1];
      if (method === undefined) {
        const text = typeof body.text === 'string' ? body.text : '';
        const event = parseEventText(text);
        const refusal = options.refuse?.({ event, text });
        if (refusal) {
          res.writeHead('status' in refusal ? refusal.status : 400);
          return res.end('error' in refusal ? refusal.error : 'no');
        }
        webhookPosts.push({ path, text, event, at: Date.now() });
        await wait();
        res.writeHead(200, { 'content-type': 'text/plain' });
        return res.end('ok');
      }
      const result = api(method, token, body);
      await wait();
      answer(res, result.status, result.body);
    } finally {
      open.set(token, (open.get(token) ?? 1) - 1);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch(() => res.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  /** Every alert's conversation in every channel, by `channel alertId`. */
  function threads(): Map<string, ThreadView> {
    const byThread = new Map<string, SlackPost[]>();
    for (const post of posts) {
      if (!post.event) continue;
      const id = `${post.channel} ${post.event.alertId}`;
      byThread.set(id, [...(byThread.get(id) ?? []), post]);
    }
    const views = new Map<string, ThreadView>();
    for (const [id, all] of byThread) {
      const parents = all.filter((p) => p.threadTs === undefined);
      const replies = all.filter((p) => p.threadTs !== undefined);
      const parentTs = new Set(parents.map((p) => p.ts));
      const seen = new Set<string>();
      const firstPosts = all.filter((p) => !seen.has(p.event!.key) && seen.add(p.event!.key));
      views.set(id, {
        channel: all[0]!.channel,
        alertId: all[0]!.event!.alertId,
        parents,
        replies,
        outsideThread: replies.filter((p) => !parentTs.has(p.threadTs!)),
        firstPosts,
        duplicates: all.length - firstPosts.length,
        inOrder: inEventOrder(firstPosts),
        resolvedEdits: edits.filter(
          (e) =>
            e.channel === all[0]!.channel &&
            parentTs.has(e.ts) &&
            e.event?.type === 'alert.resolved' &&
            e.event.alertId === all[0]!.event!.alertId,
        ),
      });
    }
    return views;
  }

  /** Each alert's webhook posts per path, by `path alertId`, in the order they arrived. */
  function webhookThreads(): Map<string, WebhookPost[]> {
    const byThread = new Map<string, WebhookPost[]>();
    for (const post of webhookPosts) {
      if (!post.event) continue;
      const id = `${post.path} ${post.event.alertId}`;
      byThread.set(id, [...(byThread.get(id) ?? []), post]);
    }
    return byThread;
  }

  return {
    /** The Web API base URL, for `createSlackApiChannel({ baseUrl })`. */
    apiBase: `http://127.0.0.1:${port}/api/`,
    /** For webhook URLs: `${base}/services/…`. */
    base: `http://127.0.0.1:${port}`,
    posts,
    edits,
    webhookPosts,
    /** Requests of `token` taken and not answered yet. */
    openRequests: (token: string) => open.get(token) ?? 0,
    threads,
    webhookThreads,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
export type FakeSlackApi = Awaited<ReturnType<typeof startFakeSlackApi>>;
