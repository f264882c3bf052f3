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

/** Removes passwords and tokens from free text, such as a provider's error message. */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret && secret.length >= 3) out = out.split(secret).join('[redacted]');
  }
  return out.replace(/https:\/\/hooks\.slack\.com\/[^\s"'>]+/g, (m) => redactUrl(m));
}
