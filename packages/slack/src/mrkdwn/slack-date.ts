import { ValidationError } from '@pytake/notify-core/model';
import { escapeMrkdwn } from './escape-mrkdwn.js';

/**
 * `<!date^1392734382^{date_short} at {time}|fallback>`: Slack shows the date in each reader's own
 * time zone; `fallback` is what clients that cannot format it show (and notifications).
 * `format` uses Slack's tokens (`{date_num}`, `{date_short_pretty}`, `{time}`, ...).
 */
export function slackDate(date: Date, format: string, fallback: string): string {
  const seconds = Math.floor(date.getTime() / 1000);
  if (!Number.isFinite(seconds)) {
    throw new ValidationError('Invalid date', [
      { path: 'date', message: 'expected a valid Date, got an invalid date' },
    ]);
  }
  // `^`, `|`, `<`, `>` would end the token early and let the rest be parsed as markup.
  if (/[\^|<>]/.test(format) || format === '') {
    throw new ValidationError('Invalid date format', [
      {
        path: 'format',
        message: `expected Slack date tokens without ^ | < >, got ${JSON.stringify(format)}`,
      },
    ]);
  }
  return `<!date^${seconds}^${format}|${escapeMrkdwn(fallback)}>`;
}
