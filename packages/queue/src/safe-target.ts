import { type PlannedTarget, type Recipient, redactAddress, type TenantConfig } from '@pytake/notify-core';

const emailOf = (r: Recipient) => (typeof r === 'string' ? r : r.email);

/**
 * How a target is shown in records, statuses and dead letters, which all live in Redis: core's
 * display with email addresses redacted (`o…@acme.com +2`), since addresses must not reach Redis.
 */
export function safeDisplay(target: PlannedTarget, tenant: TenantConfig): string {
  if (target.route !== 'email') return target.display;
  const to = (tenant.email?.to ?? []).map(emailOf);
  if (to.length === 0) return '';
  return to.length > 1 ? `${redactAddress(to[0]!)} +${to.length - 1}` : redactAddress(to[0]!);
}

/**
 * What must be cut out of an error message before it is stored: every webhook URL and its path, and
 * every recipient address (an SMTP server's "550 <ops@acme.com> unknown" quotes one).
 */
export function secretsOf(tenant: TenantConfig): string[] {
  const webhooks = (tenant.slack?.webhooks ?? []).flatMap(({ url }) => {
    try {
      const { pathname, search } = new URL(url);
      return [url, `${pathname}${search}`];
    } catch {
      return [url];
    }
  });
  const { email } = tenant;
  const addresses = email
    ? [...email.to, ...(email.cc ?? []), ...(email.bcc ?? []), ...(email.replyTo ? [email.replyTo] : [])].map(
        emailOf,
      )
    : [];
  // Longest first, so that a URL is cut out before its own path is.
  return [...webhooks, ...addresses].sort((a, b) => b.length - a.length);
}
