import type { DeliveryRecord as CoreDeliveryRecord } from '@pytake/notify-core';
import type { FamilyCompat } from '../server/email-compat.js';
import type { CapturedEmail, CapturedSlack as ServerCapturedSlack } from '../server/outbox.js';
import type { SlackSize } from '../server/slack-size.js';

/** The shapes the preview server answers with (see src/server). */
export interface Issue {
  path: string;
  message: string;
}
export interface ApiErrorBody {
  error: { code: string; message: string; issues?: Issue[] };
}
export interface SlackBlockMessage {
  text?: string;
  blocks?: SlackBlock[];
  attachments?: { color?: string; blocks?: SlackBlock[] }[];
}
// Block Kit objects are drawn loosely: the UI shows what it knows and skips the rest.
export type SlackBlock = { type: string; [key: string]: unknown };
export interface RenderResult {
  email: { subject: string; html: string; text?: string };
  slack: SlackBlockMessage;
  slackSize: SlackSize;
}
export type { PreviewConfig } from '../server/app.js';
/**
 * The server's own types, imported as types only (nothing of the server reaches the bundle): one
 * declaration of each answer's shape for both sides.
 */
export type { CompatFeature, FamilyCompat } from '../server/email-compat.js';
export type { FixtureSummary } from '../server/fixtures.js';
export type { CapturedEmail } from '../server/outbox.js';
export type { SlackMeasure, SlackSize } from '../server/slack-size.js';

export interface CompatResult {
  families: FamilyCompat[];
}
/** A delivery record as JSON carries it: core's, with its time as an ISO string. */
export type DeliveryRecord = Omit<CoreDeliveryRecord, 'at'> & { at: string };
/** A message the fake Slack received, with its payload as the UI draws it. */
export type CapturedSlack = Omit<ServerCapturedSlack, 'payload'> & { payload: SlackBlockMessage };
export type OutboxEntry = CapturedEmail | CapturedSlack;
/** `GET /api/stats`: core's delivery stats. */
export type { DeliveryStatsSnapshot as Stats } from '@pytake/notify-core';
/**
 * The app's alert state (status, who acted, the actions taken) as `GET /api/alerts` and the live
 * channel's `alert` events carry it: the server's type, imported as a type only, so nothing of the
 * server reaches the bundle.
 */
export type { AlertSummary as AlertState } from '../server/alert-store.js';

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
