import { createHash } from 'node:crypto';

/** 16 hex characters of SHA-256: a stable name for a value that must not be stored (a URL, an address). */
export const digestOf = (value: string) => createHash('sha256').update(value).digest('hex').slice(0, 16);

/**
 * The stable identity of a webhook target within its organization: its `id`, else its `name`, else
 * a digest of its URL. Job ids, idempotency keys and per-target Redis keys are built from it, so a
 * webhook with an `id` or a `name` keeps its identity when its URL is rotated: the deliveries that
 * wait for it go to the new URL, and none is sent twice. (Names must then be unique within the
 * organization; `parseTenantConfig` checks it.)
 */
export const webhookTargetId = (webhook: { id?: string; name?: string; url: string }): string =>
  webhook.id ?? webhook.name ?? digestOf(webhook.url);

/** The identity of an organization's email target: one target, whatever its recipient list. */
export const EMAIL_TARGET_ID = 'email';
