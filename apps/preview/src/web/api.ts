/** The shapes the preview server answers with (see src/server). */
export interface Issue {
  path: string;
  message: string;
}
export interface ApiErrorBody {
  error: { code: string; message: string; issues?: Issue[] };
}
export interface FixtureSummary {
  name: string;
  /** `digest` for a storm digest, whose editor holds `{ digest: { count } }`. */
  kind: 'event' | 'digest';
  type: string;
  severity: string;
  title: string;
}
export interface SlackBlockMessage {
  text?: string;
  blocks?: SlackBlock[];
  attachments?: { color?: string; blocks?: SlackBlock[] }[];
}
// Block Kit objects are drawn loosely: the UI shows what it knows and skips the rest.
export type SlackBlock = { type: string; [key: string]: unknown };
export interface SlackMeasure {
  what: string;
  used: number;
  limit: number;
}
export interface SlackSize {
  blocks: SlackMeasure;
  buttons: SlackMeasure;
  characters: SlackMeasure;
  blockText: SlackMeasure;
  perBlock: {
    in: 'message' | 'attachment';
    index: number;
    type: string;
    chars: number;
    tightest?: SlackMeasure;
    ok: boolean;
  }[];
  ok: boolean;
}
export interface RenderResult {
  email: { subject: string; html: string; text?: string };
  slack: SlackBlockMessage;
  slackSize: SlackSize;
}
export interface CompatFeature {
  feature: string;
  clients: string[];
  notes: string[];
}
export interface FamilyCompat {
  family: string;
  unsupported: CompatFeature[];
  partial: CompatFeature[];
}
export interface CompatResult {
  families: FamilyCompat[];
}
export interface DeliveryRecord {
  organizationId: string;
  alertId: string;
  eventType: string;
  channel: string;
  target: string;
  status: 'delivered' | 'partial' | 'failed' | 'skipped' | 'duplicate' | 'digested';
  reason?: string;
  attempts: number;
  durationMs: number;
  providerId?: string;
  error?: { code: string; message: string };
  /** The storm digest the event was folded into (`digested`), or whose delivery this is. */
  digestId?: string;
  at: string;
}
export interface CapturedEmail {
  kind: 'email';
  id: string;
  receivedAt: string;
  envelope: { from: string; to: string[] };
  from: string;
  to: string;
  cc?: string;
  subject: string;
  messageId?: string;
  inReplyTo?: string;
  references?: string[];
  text?: string;
  html?: string;
}
export interface CapturedSlack {
  kind: 'slack';
  id: string;
  receivedAt: string;
  webhook: string;
  payload: SlackBlockMessage;
  /** How the fake Slack received it: an incoming webhook or chat.postMessage. */
  via?: 'webhook' | 'api';
  /** The alert its buttons act on. */
  alertId?: string;
  channel?: string;
  ts?: string;
  /** Set when replaced (response_url) or updated (chat.update). */
  editedAt?: string;
  editedBy?: 'response_url' | 'chat.update';
}
export type OutboxEntry = CapturedEmail | CapturedSlack;
export interface Stats {
  counts: Record<string, Record<string, number>>;
  attempts: Record<string, number>;
  latency: Record<string, { count: number; p50: number; p95: number; max: number }>;
  total: number;
}
/**
 * The app's alert state (status, who acted, the actions taken) as `GET /api/alerts` and the live
 * channel's `alert` events carry it: the server's type, imported as a type only, so nothing of the
 * server reaches the bundle.
 */
export type { AlertSummary as AlertState } from '../server/alert-store.js';
export interface PreviewConfig {
  destinations: { email: string; slack: string };
  recipient: string;
  signingSecret: string | null;
  signingSecretSource: 'generated' | 'env';
}

/** An API answer that was not 2xx, with the server's error body. */
export class RequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiErrorBody,
  ) {
    super(body.error.message);
  }
}

export async function api<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
  const method = init?.method ?? (init?.body === undefined ? 'GET' : 'POST');
  const response = await fetch(path, {
    method,
    // The server takes a change only as JSON, even a DELETE with no body: a page of another site
    // cannot send that content type without a CORS preflight, which the server never allows.
    headers: method === 'GET' ? undefined : { 'content-type': 'application/json' },
    body: init?.body === undefined ? undefined : JSON.stringify(init.body),
  });
  if (response.status === 204) return undefined as T;
  const data = (await response.json().catch(() => ({
    error: { code: 'bad_response', message: `HTTP ${response.status}` },
  }))) as unknown;
  if (!response.ok) throw new RequestError(response.status, data as ApiErrorBody);
  return data as T;
}
