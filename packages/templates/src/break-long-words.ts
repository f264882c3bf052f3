/**
 * A zero-width space: an invisible line-break opportunity. Not `<wbr>`, which Outlook for Windows
 * and Gmail for iOS ignore (caniemail `html-wbr`); a character is honoured by every client.
 */
export const ZERO_WIDTH_SPACE = '\u200b';

export const breakDefaults = {
  /**
   * The longest run of glyphs without a break opportunity, in glyph units (an emoji counts 2).
   * The narrowest column at 320 px is a details value: 320 - 2 x 8 (body) - 2 x 24 (section) = 256 px
   * of content, of which the value cell gets 62% less the label's 12 px padding, about 147 px, in
   * 14 px bold. The widest glyphs of these system fonts (W, M, @, full-width forms) are at most 1 em,
   * so 10 of them take 140 px and fit; the title (22 px, 256 px: 11.6 em) and body text (15 px,
   * 256 px: 17 em) have more room. Emoji are about 1.2 em, hence 2 units.
   * @default 10
   */
  maxRun: 10,
} as const;

// Where a line may already break: spaces, tabs, newlines and the other breaking spaces, and the
// zero-width space. Not the no-break spaces (U+00A0, U+2007, U+202F), which glue words together.
// (`[\t\n\f\r \u1680\u2000-\u2006\u2008-\u200b\u205f\u3000]`, tested by code: see isBreak.)
function isBreak(c: number): boolean {
  return (
    c === 0x20 ||
    (c >= 0x09 && c <= 0x0d && c !== 0x0b) ||
    (c >= 0x2000 && c <= 0x200b && c !== 0x2007) ||
    c === 0x1680 ||
    c === 0x205f ||
    c === 0x3000
  );
}

// What a character is to the scan: 0 ASCII, not a break; 1 a break; 2 anything else. ASCII, most of
// every alert, is read from a table, a third of the cost of testing each range in turn.
const ASCII_KIND = new Uint8Array(128);
for (const c of [0x09, 0x0a, 0x0c, 0x0d, 0x20]) ASCII_KIND[c] = 1;
const kindOf = (c: number) => (c < 128 ? ASCII_KIND[c]! : isBreak(c) ? 1 : 2);

const wide = /\p{Extended_Pictographic}/u;
// Made on first need: building a Segmenter loads ICU's break rules, a cost at import time that a
// process sending only ASCII alerts would never need.
let graphemes: Intl.Segmenter | undefined;

/** How wide one grapheme is, in glyph units. */
export const glyphUnits = (grapheme: string) => (wide.test(grapheme) ? 2 : 1);

// Below U+0300 (ASCII, Latin-1, Latin Extended, IPA, spacing modifiers) every character is a grapheme
// of its own: there is no combining mark, joiner or prepended character there, and CR LF, the one
// pair, is a break. Such runs need no segmenting, which costs far more than the rest: `ç`, `ã` and
// `é` are as cheap as ASCII. In ASCII every character is also one unit wide (no emoji; `©` and `®`
// are emoji), so its pieces are sliced (breakAsciiRun).
const ownGraphemes = /^[\0-\u02ff]*$/;

function segments(run: string): string[] {
  if (ownGraphemes.test(run)) return run.split('');
  graphemes ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return Array.from(graphemes.segment(run), (s) => s.segment);
}

/** `breakRun` for ASCII, where every character is one grapheme one unit wide: the same even pieces, sliced. */
function breakAsciiRun(run: string, maxRun: number): string {
  const total = run.length;
  if (total <= maxRun) return run;
  let piecesLeft = Math.ceil(total / maxRun);
  let left = total;
  let target = Math.ceil(left / piecesLeft);
  let out = run.slice(0, target);
  for (let at = target; at < total; at += target) {
    left -= target;
    piecesLeft = Math.max(1, piecesLeft - 1);
    target = Math.min(maxRun, Math.ceil(left / piecesLeft));
    out += ZERO_WIDTH_SPACE + run.slice(at, at + target);
  }
  return out;
}

function breakRun(run: string, maxRun: number): string {
  const parts = segments(run);
  const total = parts.reduce((n, g) => n + glyphUnits(g), 0);
  if (total <= maxRun) return run;
  // Even pieces (a 12-letter word splits 6 + 6, not 10 + 2), never inside a grapheme (an accent
  // stays on its letter, a family emoji stays one).
  let piecesLeft = Math.ceil(total / maxRun);
  let left = total;
  let target = Math.ceil(left / piecesLeft);
  let out = '';
  let width = 0;
  for (const g of parts) {
    const w = glyphUnits(g);
    if (width > 0 && width + w > target) {
      out += ZERO_WIDTH_SPACE;
      left -= width;
      piecesLeft = Math.max(1, piecesLeft - 1);
      target = Math.min(maxRun, Math.ceil(left / piecesLeft));
      width = 0;
    }
    out += g;
    width += w;
  }
  return out;
}

const nonAscii = /[^\0-\x7f]/;

/**
 * For ASCII text, where a run is as wide as it is long: true when no run is longer than `maxRun`.
 * The spaces are found by `indexOf` (native, far faster than reading every character in a loop, which
 * was most of the cost of a 5,000-character description); only a stretch between two spaces that is
 * longer than `maxRun` is read, since its other breaks (tab, newline, form feed, CR) may split it.
 */
function asciiFits(text: string, maxRun: number): boolean {
  const n = text.length;
  let from = 0;
  while (from < n) {
    let next = text.indexOf(' ', from);
    if (next === -1) next = n;
    if (next - from > maxRun) {
      let run = 0;
      for (let i = from; i < next; i++) {
        if (ASCII_KIND[text.charCodeAt(i)] === 1) run = 0;
        else if (++run > maxRun) return false;
      }
    }
    from = next + 1;
  }
  return true;
}

/**
 * Lets long unbroken text (a URL, a token, a 255-character title without spaces) wrap on a 320 px
 * phone in Gmail and Outlook, which ignore `overflow-wrap` and `word-break`: inserts a zero-width
 * space in every run longer than `maxRun` glyph units. For the HTML only: the plain-text part, the
 * subject and every `href` keep the text exact.
 * It runs for most text holes of every email, so it finds the runs in one scan by character code
 * (no splitting, no allocation) and copies the text only when a run changes.
 */
export function breakLongWords(text: string, maxRun: number = breakDefaults.maxRun): string {
  if (!nonAscii.test(text) && asciiFits(text, maxRun)) return text;
  const n = text.length;
  let out = '';
  /** Up to where `text` is already in `out`: 0 while nothing changed. */
  let copied = 0;
  let i = 0;
  while (i < n) {
    while (i < n && kindOf(text.charCodeAt(i)) === 1) i++;
    const start = i;
    /** 0 while the run is ASCII, 2 once it is not. */
    let kinds = 0;
    while (i < n) {
      const kind = kindOf(text.charCodeAt(i));
      if (kind === 1) break;
      kinds |= kind;
      i++;
    }
    const asciiOnly = kinds === 0;
    const length = i - start;
    // Most words are short and plain: no copying, no segmenting for them. An ASCII run is as wide
    // as it is long; another one is at least half as wide (an emoji is 2 code units and 2 units).
    if (length <= maxRun / 2 || (asciiOnly && length <= maxRun)) continue;
    const run = text.slice(start, i);
    if (!asciiOnly && length <= maxRun && !wide.test(run)) continue;
    const broken = asciiOnly ? breakAsciiRun(run, maxRun) : breakRun(run, maxRun);
    if (broken === run) continue;
    out += text.slice(copied, start) + broken;
    copied = i;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
