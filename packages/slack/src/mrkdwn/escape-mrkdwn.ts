const markup = /[&<>]/;
const markupAll = /[&<>]/g;
const escapes: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

/**
 * Escapes the three characters Slack treats as markup: `&`, `<`, `>` (Slack documents exactly these).
 * Text from alert data must pass through this so that `<!channel>` in a title shows as text
 * instead of pinging everyone. `*`, `_` and `~` are left alone: they only format, never notify.
 */
export function escapeMrkdwn(text: string): string {
  // Most text (labels, titles) has none of the three: the test is cheaper than building a new
  // string, and one pass beats three chained replaces when there is something to escape.
  return markup.test(text) ? text.replace(markupAll, (c) => escapes[c] as string) : text;
}
