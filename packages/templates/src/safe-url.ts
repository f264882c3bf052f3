// An http(s) URL that `new URL()` gives back unchanged: a lower-case scheme and host (labels of
// letters, digits and inner single hyphens, the last one starting with a letter, so it is never read
// as an IPv4 address and never punycode), no user, no port, a path, query and fragment of characters
// the URL parser leaves as they are. Parsing a URL costs microseconds per message; most alert links
// look like this, and the rest are parsed.
const plainUrl =
  /^https?:\/\/(?:[a-z0-9]+(?:-[a-z0-9]+)*\.)*[a-z][a-z0-9]*(?:-[a-z0-9]+)*(\/[\w\-.~!$&()*+,;=:@%/]*)(?:\?[\w\-.~!$&()*+,;=:@%/?]*)?(?:#[\w\-.~!$&()*+,;=:@%/?]*)?$/;
// What the parser would still rewrite in such a path: a `.` or `..` segment, or an encoded dot.
const dotSegment = /\/\.\.?(?:\/|$)|%2e/i;

/**
 * Returns the URL when it is an absolute `http:` or `https:` URL, otherwise `undefined`.
 * Alert data is untrusted: a `javascript:` or `data:` URL must be dropped, never linked.
 */
export function safeUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  const plain = plainUrl.exec(value);
  if (plain && !dotSegment.test(plain[1]!)) return value;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}
