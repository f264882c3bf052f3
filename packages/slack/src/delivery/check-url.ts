import { ConfigError } from '@pytake/notify-core';

const loopback = new Set(['127.0.0.1', '::1', '[::1]', 'localhost']);

/**
 * Checks a URL from tenant config before any request, so that a tenant cannot make us POST to an
 * internal service (SSRF): `https` to one of `defaultHosts` or `allowedHosts`, and plain `http` only
 * to a loopback host named in `allowedHosts` (tests). The error names the option and the host, never
 * the path: a webhook path is a credential.
 */
export function checkUrl(
  url: unknown,
  option: string,
  defaultHosts: readonly string[],
  allowedHosts: readonly string[] = [],
): URL {
  let parsed: URL;
  try {
    parsed = new URL(String(url));
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
  return parsed;
}
