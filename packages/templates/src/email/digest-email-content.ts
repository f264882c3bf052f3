import type { AlertDigest, Severity } from '@pytake/notify-core';
import { breakLongWords } from '../break-long-words.js';
import { buildDigestView, type DigestItem, type DigestView, moreText } from '../digest-view.js';
import type { Messages } from '../i18n/index.js';
import { type AlertEmailOptions, type ResolvedOptions, resolveOptions } from '../options.js';
import { escapeHtml } from './fill-email-html.js';

export const digestEmailDefaults = {
  /** The alerts an email lists; the rest are counted in "…and N more". @default 50 */
  maxRows: 50,
  /**
   * The most bytes the listed rows may take, estimated from their values (see `rowBytes`): Gmail
   * clips a message past about 102 KB, and the page around the rows takes a few KB.
   * @default 80_000
   */
  rowsBytesMax: 80_000,
  /** The most bytes of static HTML in one row, whatever its shape (a test checks the compiled rows). */
  rowStaticBytesMax: 1_400,
} as const;

/** The part of a digest email around the rows: what its page template shows. */
export interface DigestEmailPage {
  messages: Messages;
  subject: string;
  /** The counts, shown as the inbox preview. */
  summary: string;
  heading: string;
  /** `3 high, 34 medium · 30 new, 3 resolved`. */
  counts: string;
  more: string | undefined;
  listUrl: string | undefined;
  /** The most severe alert's: the color of the counts' callout. */
  severity: Severity;
  brand: ResolvedOptions['brand'];
  footer: string;
  /** The rows' HTML, filled from their own compiled template (a `raw` hole). */
  rows: string;
}

/** What a digest email shows: its page and the alerts it lists, most severe first. */
export interface DigestEmailContent {
  page: DigestEmailPage;
  items: DigestItem[];
}

const encoder = new TextEncoder();
/** An upper bound of a row's size in bytes: its static HTML and its values as they are filled. */
function rowBytes(item: DigestItem): number {
  let holes = escapeHtml(breakLongWords(item.title)) + escapeHtml(item.age);
  if (item.url) holes += escapeHtml(item.url);
  return digestEmailDefaults.rowStaticBytesMax + encoder.encode(holes).length;
}

/**
 * The page and the rows of a digest's email, from its view: the first `maxRows` alerts, fewer if
 * their rows would pass `rowsBytesMax` (255-character titles of `&` and `<` would), so that the HTML
 * stays under Gmail's clipping for any digest. The HTML and the plain-text part list the same ones.
 */
export function digestEmailContent(view: DigestView): DigestEmailContent {
  const items: DigestItem[] = [];
  let bytes = 0;
  for (const item of view.items) {
    if (items.length === digestEmailDefaults.maxRows) break;
    bytes += rowBytes(item);
    if (bytes > digestEmailDefaults.rowsBytesMax) break;
    items.push(item);
  }
  const hidden = view.total - items.length;
  const counts = view.total > 0 ? `${view.severities} · ${view.kinds}` : view.heading;
  return {
    page: {
      messages: view.messages,
      subject: view.subject,
      summary: counts,
      heading: view.heading,
      counts,
      more: hidden > 0 ? moreText(view, hidden) : undefined,
      listUrl: view.listUrl,
      severity: view.items[0]?.severity ?? 'low',
      brand: view.brand,
      footer: view.footer,
      rows: '',
    },
    items,
  };
}

/** A digest's view and what its email shows, the options validated: what both renderers start from. */
export function digestEmailOf(
  digest: AlertDigest,
  options: AlertEmailOptions,
): { view: DigestView; content: DigestEmailContent } {
  const view = buildDigestView(digest, resolveOptions(options));
  return { view, content: digestEmailContent(view) };
}

/** Which compiled page a digest email needs: what the page template decides on. */
export function digestPageShapeOf(page: DigestEmailPage): string {
  return (
    `${page.messages.locale}|${page.severity}|${page.more === undefined ? '' : 'more,'}` +
    `${page.listUrl ? 'link,' : ''}${page.brand.logoUrl ? 'logo' : ''}`
  );
}

/** Which compiled row an alert needs: its severity, its localized labels, a link or not. */
export function digestRowShapeOf(item: DigestItem): string {
  return `${item.severity}|${item.severityLabel}|${item.kind}|${item.url ? 'link' : ''}`;
}

/** Puts a hole's marker (when compiling) in place of its value: `(name, value) => marker`. */
type FillHole = (name: string, value: string) => string;
const optional = (fill: FillHole, name: string, value: string | undefined) =>
  value === undefined ? undefined : fill(name, value);

/** The page's holes (see `mapEmailHoles`): each value that changes from one digest to the next. */
export function mapDigestPageHoles(page: DigestEmailPage, fill: FillHole): DigestEmailPage {
  const { brand } = page;
  return {
    ...page,
    subject: fill('subject', page.subject),
    summary: fill('summary', page.summary),
    heading: fill('heading', page.heading),
    counts: fill('counts', page.counts),
    more: optional(fill, 'more', page.more),
    listUrl: optional(fill, 'listUrl', page.listUrl),
    footer: fill('footer', page.footer),
    rows: fill('rows', page.rows),
    brand: {
      name: fill('brand.name', brand.name),
      color: fill('brand.color', brand.color),
      logoUrl: optional(fill, 'brand.logoUrl', brand.logoUrl),
    },
  };
}

/** A row's holes: the alert's title, age and link (its id is not shown). */
export function mapDigestRowHoles(item: DigestItem, fill: FillHole): DigestItem {
  const url = optional(fill, 'url', item.url);
  return { ...item, alertId: '', title: fill('title', item.title), age: fill('age', item.age), url };
}
