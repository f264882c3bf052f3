const ellipsis = '…';
// An HTML entity as Slack escapes it (`&amp;`, `&lt;`, `&gt;`) or any other named/numeric entity.
const entity = /^&(?:[a-zA-Z]{2,8}|#\d{1,7}|#x[0-9a-fA-F]{1,6});/;

/**
 * Cuts `text` to at most `max` UTF-16 code units, ending with `…`. It never cuts inside a surrogate
 * pair (that would send invalid UTF-16), inside an escape like `&amp;` (Slack would show `&am`) or
 * inside a `<...>` link or mention (Slack would show the raw markup).
 */
export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max < 1) return '';
  let cut = max - ellipsis.length;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut--;
  const amp = cut > 0 ? text.lastIndexOf('&', cut - 1) : -1;
  if (amp !== -1) {
    const match = entity.exec(text.slice(amp));
    if (match && amp + match[0].length > cut) cut = amp;
  }
  // Back off until every `<` kept is closed by a `>` kept. A stray unclosed `<` is cut off too:
  // Slack would try to parse what follows as markup.
  while (cut > 0) {
    const open = text.lastIndexOf('<', cut - 1);
    if (open === -1 || text.lastIndexOf('>', cut - 1) > open) break;
    cut = open;
  }
  return `${text.slice(0, cut)}${ellipsis}`;
}
