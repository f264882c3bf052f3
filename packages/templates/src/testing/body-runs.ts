/** Graphemes, as a reader counts glyphs. */
export const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
/** Glyph units, measured here on their own: an emoji about 1.2 em counts 2, any other grapheme 1 (at most 1 em). */
export const units = (run: string) =>
  Array.from(segmenter.segment(run), (s) => (/\p{Extended_Pictographic}/u.test(s.segment) ? 2 : 1)).reduce(
    (a, b) => a + b,
    0,
  );

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
const decode = (html: string) =>
  html.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (all, name: string) =>
    name[0] === '#'
      ? String.fromCodePoint(name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1)))
      : (entities[name] ?? all),
  );

/**
 * The text a reader sees in the body, between break opportunities (breaking spaces and the zero-width
 * space, and the edges of blocks; never a no-break space, a hyphen or an inline tag). The
 * hidden preheader (display:none) is left out.
 */
export function bodyRuns(html: string): string[] {
  const body = html.slice(html.indexOf('<body'), html.indexOf('</body>'));
  const shown = body
    .replace(/<div[^>]*data-skip-in-text="true"[^>]*>[^<]*<div>[^<]*<\/div><\/div>/, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    // A block (paragraph, cell, heading) starts its own lines; an inline tag (strong, span, a) does not.
    .replace(/<\/?(?:p|div|td|th|tr|tbody|table|h[1-6]|br|hr|img)\b[^>]*>/g, '\n')
    .replace(/<[^>]*>/g, '');
  return decode(shown)
    .split(/[\t\n\f\r \u1680\u2000-\u2006\u2008-\u200b\u205f\u3000]+/)
    .filter(Boolean);
}
export const longest = (html: string) => bodyRuns(html).reduce((a, r) => (units(r) > units(a) ? r : a), '');
