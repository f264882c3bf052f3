import { ValidationError } from '@pytake/notify-core/model';
import { escapeMrkdwn } from './escape-mrkdwn.js';

const schemes = new Set(['http:', 'https:', 'mailto:']);

/**
 * `<url|label>`: a link with an escaped label. The URL must be http(s) or mailto; `|` `<` `>` in it are
 * percent-encoded so that it cannot end the link early and smuggle in a mention.
 */
export function link(url: string, label?: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new ValidationError('Invalid link', [
      { path: 'url', message: `expected an absolute URL, got ${JSON.stringify(url)}` },
    ]);
  }
  if (!schemes.has(parsed.protocol)) {
    throw new ValidationError('Invalid link', [
      {
        path: 'url',
        message: `expected an http, https or mailto URL, got ${JSON.stringify(parsed.protocol)}`,
      },
    ]);
  }
  const safeUrl = url.replace(/&/g, '&amp;').replace(/</g, '%3C').replace(/>/g, '%3E').replace(/\|/g, '%7C');
  return label === undefined || label === '' ? `<${safeUrl}>` : `<${safeUrl}|${escapeMrkdwn(label)}>`;
}
