import { ConfigError } from '@pytake/notify-core';

const loopback = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);
// Slack's own hosts only serve https on the default port; a URL naming another port is not Slack's.
const slackHosts = new Set(['hooks.slack.com', 'slack.com']);

/**
 * The longest URL accepted. Slack's webhook URLs are under 100 characters; 2,048 is the limit
 * browsers and most servers have long used (and the sitemap protocol's), so anything longer is not a
 * webhook and is refused before it reaches a log line or a request.
 */
export const MAX_URL_LENGTH = 2048;

/**
 * Checks a URL from tenant config before any request, so that a tenant cannot make us POST to an
 * internal service (SSRF): `https` to one of `defaultHosts` or `allowedHosts`, and plain `http` only
 * to a loopback host named in `allowedHosts` (tests); only port 443 for Slack's hosts; at most
 * `MAX_URL_LENGTH` characters. The error names the option and the host, never the path: a webhook
 * path is a credential.
 */
export function checkUrl(
  url: unknown,
  option: string,
  defaultHosts: readonly string[],
  allowedHosts: readonly string[] = [],
): URL {
  const text = typeof url === 'string' ? url : String(url);
  if (text.length > MAX_URL_LENGTH) {
    throw new ConfigError(`Refused ${option}`, [
      { path: option, message: `expected at most ${MAX_URL_LENGTH} characters, got ${text.length}` },
    ]);
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new ConfigError(`Invalid ${option}`, [{ path: option, message: 'expected an absolute https URL' }]);
  }
  const host = parsed.hostname.toLowerCase();
  const allowed = allowedHosts.map((h) => h.toLowerCase());
  const issue = (message: string) => new ConfigError(`Refused ${option}`, [{ path: option, message }]);
  if (parsed.username || parsed.password) throw issue('must not contain credentials');
  if (parsed.protocol === 'http:') {
    if (!(allowed.includes(host) && loopback.has(host))) {
      throw issue(
        `plain http is only allowed for a loopback host listed in allowedHosts, got host ${JSON.stringify(host)}`,
      );
    }
  } else if (parsed.protocol !== 'https:') {
    throw issue(`expected an https URL, got ${JSON.stringify(parsed.protocol)}`);
  } else if (!defaultHosts.includes(host) && !allowed.includes(host)) {
    throw issue(
      `expected host ${defaultHosts.join(' or ')} or one listed in allowedHosts, got ${JSON.stringify(host)}`,
    );
  }
  // `URL` drops a port that is the scheme's default, so any port left is not 443.
  if (slackHosts.has(host) && (parsed.protocol !== 'https:' || parsed.port !== '')) {
    throw issue(`${host} is only reached over https on port 443, got port ${parsed.port || 80}`);
  }
  return parsed;
}
