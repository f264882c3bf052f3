import type { DigestView } from '../digest-view.js';
import type { DigestEmailContent } from './digest-email-content.js';

/**
 * The plain-text part of a digest's email, written from the same data as its HTML: the heading and
 * counts, one line and a title per listed alert, "…and N more", the alert list's link.
 */
export function renderDigestText(view: DigestView, content: DigestEmailContent): string {
  const { page, items } = content;
  let text = `${view.heading}\n${page.counts}\n`;
  for (const item of items) {
    text += `\n${item.severityLabel} · ${item.kind} · ${item.age}\n${item.title}\n`;
    if (item.url) text += `${item.url}\n`;
  }
  if (page.more) text += `\n${page.more}\n`;
  if (page.listUrl) text += `\n${view.messages.digest.viewAll}: ${page.listUrl}\n`;
  // "-- " (with the space) is the signature separator mail clients recognise and fold away.
  return `${text}\n-- \n${view.brand.name}\n${view.footer}\n`;
}
