/**
 * Shows where a message went without giving away a secret: a webhook URL's path is a credential,
 * so only its host and last 4 characters remain (`hooks.slack.com/…a1b2`).
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const secret = `${parsed.pathname}${parsed.search}`.replace(/\/+$/, '');
    return secret.length > 1 ? `${parsed.host}/…${secret.slice(-4)}` : parsed.host;
  } catch {
    return '…';
  }
}

/**
 * Shows which mailbox without giving the address away: the first character of the local part and
 * the domain (`o…@acme.com`). Addresses are personal data and must not reach logs or records.
 */
export function redactAddress(address: string): string {
  const at = address.lastIndexOf('@');
  if (at <= 0) return '…';
  return `${address.slice(0, 1)}…${address.slice(at)}`;
}

/** Removes passwords and tokens from free text, such as a provider's error message. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 3) out = out.split(secret).join('[redacted]');
  }
  return out.replace(/https:\/\/hooks\.slack\.com\/[^\s"'>]+/g, (m) => redactUrl(m));
}
