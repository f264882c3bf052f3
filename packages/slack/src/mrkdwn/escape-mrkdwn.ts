/**
 * Escapes the three characters Slack treats as markup: `&`, `<`, `>` (Slack documents exactly these).
 * Text from alert data must pass through this so that `<!channel>` in a title shows as text
 * instead of pinging everyone. `*`, `_` and `~` are left alone: they only format, never notify.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
