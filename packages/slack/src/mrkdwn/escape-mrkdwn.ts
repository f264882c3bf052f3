// `&`, `<`, `>` are Slack's markup (mentions, links, dates): Slack documents exactly these three
// escapes. `*` `_` `~` and backticks format (bold, italic, strike, code), and Slack offers no way to
// escape them, so they become look-alike characters that Slack never treats as formatting, as
// jsx-slack's <Escape> does inside links. A zero-width space beside them is not used: Slack reads it
// as a word break, which is what jsx-slack's exact mode inserts to turn formatting *on*. Each
// look-alike is one UTF-16 unit, like the character it replaces, so lengths do not change.
// The full-width forms are replaced too, since Slack formats with those as well.
const replacements: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '*': '\u2217', // ∗ asterisk operator
  _: '\u02cd', // ˍ modifier letter low macron
  '~': '\u223c', // ∼ tilde operator
  '`': '\u02cb', // ˋ modifier letter grave accent
  '\uff0a': '\ufe61', // ＊ -> ﹡ small asterisk
  '\uff3f': '\u2e0f', // ＿ -> ⸏ paragraphos
  '\uff40': '\u02cb', // ｀ -> ˋ
};
const special = /[&<>*_~`\uff0a\uff3f\uff40]/;
const specialAll = /[&<>*_~`\uff0a\uff3f\uff40]/g;
// Slack formats with `*`, `_` and `~` only at word boundaries: one between two letters or digits
// (`order_update_v3`, `2*3`) can neither open nor close bold, italics or strike, so it stays as typed
// and copies as typed. Backticks make code anywhere, so they are always replaced.
const wordChar = /[\p{L}\p{N}]/u;
const intraword = new Set(['*', '_', '~', '\uff0a', '\uff3f']);
// A `>` (even escaped as `&gt;`, or full-width) at the start of a line makes a block quote. An
// invisible soft hyphen before it keeps the line a line.
const quote = /(^|\n)([ \t]*)(?=[>\uff1e])/g;
const SOFT_HYPHEN = '\u00ad';

// Everything escapeMrkdwn may change: `special`, and the full-width `>` that can open a quote.
const anyChange = /[&<>*_~`\uff0a\uff1e\uff3f\uff40]/;

/**
 * Makes untrusted text (alert titles, descriptions, names) safe in mrkdwn: Slack shows every
 * character but acts on none. `&`, `<`, `>` are escaped (so `<!channel>` in a title shows as text
 * instead of pinging everyone), `*`, `_`, `~` and backticks become look-alikes (`∗`, `ˍ`, `∼`, `ˋ`) so
 * `*Ops*` shows starred, not bold (but `order_update_v3`, where Slack never formats, stays as typed),
 * and a `>` opening a line gets a soft hyphen so it is not a quote.
 */
export function escapeMrkdwn(text: string): string {
  // Most text (labels, titles, dates) has none of these: one regular-expression test says so.
  if (!anyChange.test(text)) return text;
  // One pass beats a chain of replaces when there is something to escape.
  let out = text;
  if (out.includes('>') || out.includes('\uff1e')) out = out.replace(quote, `$1$2${SOFT_HYPHEN}`);
  if (!special.test(out)) return out;
  return out.replace(specialAll, (c, at: number, all: string) =>
    intraword.has(c) && wordChar.test(all[at - 1] ?? '') && wordChar.test(all[at + 1] ?? '')
      ? c
      : (replacements[c] as string),
  );
}
