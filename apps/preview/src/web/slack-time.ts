/**
 * A message's time the way Slack's English client shows it: `5:10 PM`, no leading zero (the
 * `2-digit` hour gives `05:10 PM`, which Slack never shows). In the preview's time zone when given.
 */
export function slackTime(date: Date, timeZone?: string): string {
  // Newer ICU data puts a narrow no-break space before AM/PM; Slack shows a plain one.
  return date
    .toLocaleTimeString('en-US', { hour: 'numeric', minute: '2-digit', timeZone })
    .replace(/\u202f/g, ' ');
}
