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

// A quoted part of a secret is as good as the secret: any run of at least this many of its
// characters (or half of it, for a longer one) is removed too.
const MIN_SECRET_PART = 8;
// Free text past this length is cut first: error texts are short, and the matching below grows with it.
const MAX_TEXT = 16_384;

// Ranges of `text` that hold a run of `partLength` or more characters of `secret`, in any case.
function partsOf(text: string, lower: string, secret: string, ranges: [number, number][]): void {
  const partLength = Math.max(MIN_SECRET_PART, Math.ceil(secret.length / 2));
  if (secret.length < partLength || text.length < partLength) return;
  const lowerSecret = secret.toLowerCase();
  for (let start = 0; start + partLength <= lowerSecret.length; start++) {
    const part = lowerSecret.slice(start, start + partLength);
    for (let at = lower.indexOf(part); at !== -1; at = lower.indexOf(part, at + 1)) {
      ranges.push([at, at + partLength]);
    }
  }
}

function withoutRanges(text: string, ranges: [number, number][]): string {
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0]);
  let out = '';
  let from = 0;
  let end = -1;
  for (const [start, stop] of ranges) {
    if (start > end) {
      if (end >= 0) out += '[redacted]';
      out += text.slice(from, start);
    }
    if (stop > end) end = stop;
    from = end;
  }
  return `${out}[redacted]${text.slice(from)}`;
}

// What may be a secret or an address in any text, whoever wrote it: the userinfo of a URL
// (`postgres://app:pw@db`), a Slack token (`xoxb-…`), a Slack webhook URL, an email address.
const userinfo = /\b([a-z][a-z0-9+.-]*:\/\/)[^\s/?#@]+@/gi;
const slackToken = /\bxox[a-z]-[a-z0-9-]+/gi;
const slackWebhook = /https?:\/\/hooks\.slack\.com\/[^\s"'>]+/gi;
const isAddress = (text: string) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);
const emailAddress = /[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/gi;

/**
 * Removes passwords, tokens and addresses from free text that comes from user code or a provider (a
 * directory's error, a renderer's, an SMTP reply): each given secret in its exact form, without its
 * leading slash, URL-encoded and in any letter case, and any run of at least 8 of its characters (or
 * half of it, whichever is longer); then, whatever the secrets, the userinfo of any URL, Slack tokens
 * and webhook URLs, and email addresses (shown as `redactAddress()` shows them).
 */
export function redactSecrets(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}…` : text;
  const known = secrets.filter((secret): secret is string => !!secret && secret.length >= 3);
  const forms = known.flatMap(formsOf);
  if (forms.length > 0) {
    // Longest first, so that a whole URL goes before the path inside it.
    forms.sort((a, b) => b.length - a.length);
    out = out.replace(new RegExp(forms.map(escapeRegExp).join('|'), 'gi'), '[redacted]');
  }
  const ranges: [number, number][] = [];
  const lower = out.toLowerCase();
  // Not for an address: its domain is no secret, and a redacted one keeps it (`o…@acme.com`).
  for (const secret of known) if (!isAddress(secret)) partsOf(out, lower, secret, ranges);
  out = withoutRanges(out, ranges);
  return out
    .replace(slackWebhook, (m) => redactUrl(m))
    .replace(userinfo, (_m, scheme: string) => `${scheme}…@`)
    .replace(slackToken, 'xox…')
    .replace(emailAddress, (m) => redactAddress(m));
}
