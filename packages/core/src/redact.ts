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

// What a server may echo of a secret besides the secret itself: without its leading slash (a
// webhook path quoted as `services/T0/B0/xyz`), URL-encoded (a password in a URL or a form body,
// `%2F` or `%2f`, a space as `%20` or `+`) and in any case (matched case-insensitively below).
function formsOf(secret: string): string[] {
  const forms = new Set([secret, secret.replace(/^\/+/, '')]);
  for (const form of [...forms]) {
    for (const encode of [encodeURIComponent, encodeURI]) {
      try {
        const encoded = encode(form);
        forms.add(encoded);
        forms.add(encoded.replaceAll('%20', '+'));
      } catch {
        // A lone surrogate cannot be encoded, so no server can have echoed it encoded either.
      }
    }
  }
  return [...forms].filter((form) => form.length >= 3);
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Removes passwords and tokens from free text, such as a provider's error message: each secret in
 * its exact form, without its leading slash, URL-encoded, and in any letter case; and any Slack
 * webhook URL.
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  const forms = secrets.flatMap((secret) => (secret && secret.length >= 3 ? formsOf(secret) : []));
  let out = text;
  if (forms.length > 0) {
    // Longest first, so that a whole URL goes before the path inside it.
    forms.sort((a, b) => b.length - a.length);
    out = out.replace(new RegExp(forms.map(escapeRegExp).join('|'), 'gi'), '[redacted]');
  }
  return out.replace(/https?:\/\/hooks\.slack\.com\/[^\s"'>]+/gi, (m) => redactUrl(m));
}
