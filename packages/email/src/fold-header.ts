// RFC 5322 §2.1.1: a line must not exceed 998 characters and should not exceed 78. Nodemailer folds
// header values at whitespace and encodes non-ASCII text as RFC 2047 encoded-words (which it folds
// too), but leaves a long ASCII run without whitespace on one line: a 2,000-character subject without
// spaces became a 2,009-character line that servers may refuse or cut.

/** The longest run without whitespace that nodemailer's folding keeps within a 78-character line. */
const LONGEST_RUN = 76;
/** Bytes of UTF-8 per encoded-word: 45 bytes are 60 base64 characters, 72 with `=?UTF-8?B?` and `?=`. */
const WORD_BYTES = 45;

/** Display names are cut here (with `…`); see `capDisplayName`. */
export const MAX_DISPLAY_NAME = 100;

const hasLongRun = (value: string) => value.split(/[ \t]+/).some((run) => run.length > LONGEST_RUN);

/**
 * An unstructured header value (Subject, a custom header) that folds into lines of at most 78
 * characters: returned as is when nodemailer can fold it (no run longer than 76 characters without
 * whitespace), otherwise as RFC 2047
 * B encoded-words separated by spaces. A reader joins adjacent encoded-words without the spaces
 * between them, so the decoded value is exactly the original.
 */
export function foldableHeaderText(value: string): string {
  if (!hasLongRun(value)) return value;
  const words: string[] = [];
  let chunk = '';
  for (const ch of value) {
    if (Buffer.byteLength(chunk + ch) > WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w).toString('base64')}?=`).join(' ');
}

/**
 * `value` cut to `max` characters, the last of them `…`; returned as is when it is not longer. Counts
 * code points, so a character outside the BMP (an emoji, a surrogate pair) is kept whole or left out,
 * never split. Reads no further than the cut, however long `value` is.
 */
export function capText(value: string, max: number): string {
  // A UTF-16 length within `max` is within it in code points too.
  if (value.length <= max) return value;
  let chars = 0;
  let kept = 0; // UTF-16 length of the first `max - 1` characters
  for (const ch of value) {
    chars += 1;
    if (chars > max) return `${value.slice(0, kept)}…`;
    if (chars < max) kept += ch.length;
  }
  return value;
}

/**
 * A display name cut to `MAX_DISPLAY_NAME` characters, ending in `…`. Nodemailer quotes a printable
 * ASCII name instead of encoding it, and an encoded-word inside quotes is not decoded by mail
 * clients, so a long name cannot be folded: it is capped instead (a name that long is noise, and
 * refusing it would cost the alert).
 */
export function capDisplayName(name: string): string {
  return capText(name, MAX_DISPLAY_NAME);
}
