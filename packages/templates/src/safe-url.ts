/**
 * Returns the URL when it is an absolute `http:` or `https:` URL, otherwise `undefined`.
 * Alert data is untrusted: a `javascript:` or `data:` URL must be dropped, never linked.
 */
export function safeUrl(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
}
