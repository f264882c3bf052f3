// Slack's error strings are short snake_case codes (`no_service`, `invalid_payload`,
// `channel_is_archived`). A body that is anything else is not Slack speaking, or is a proxy page or a
// server echoing the request back, and may quote the webhook path in any form (without its slash,
// URL-encoded, upper-cased) that no redaction can know: such a body is never quoted.
const code = /^[a-z_]{1,64}$/;

/** The body when it is a Slack error code, else undefined. Never anything longer than 64 characters. */
export function slackErrorCode(body: unknown): string | undefined {
  if (typeof body !== 'string') return undefined;
  const trimmed = body.trim();
  return code.test(trimmed) ? trimmed : undefined;
}
