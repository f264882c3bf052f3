import type { AlertView } from '../alert-view.js';
import { breakLongWords } from '../break-long-words.js';
import type { CompiledEmails, HoleKind } from './compiled-emails.js';
import { emailShapeOf, holeValue } from './email-holes.js';

const escapes: Record<string, string> = {
  '"': '&quot;',
  '&': '&amp;',
  "'": '&#x27;',
  '<': '&lt;',
  '>': '&gt;',
};
const special = /["&'<>]/;
const specials = /["&'<>]/g;

/**
 * Escapes text or an attribute value exactly as react-dom does (`'` as `&#x27;`), and replaces a lone
 * surrogate with U+FFFD, as react-dom's UTF-8 stream and @react-email/render's TextDecoder do.
 */
export function escapeHtml(value: string): string {
  const text = special.test(value) ? value.replace(specials, (c) => escapes[c]!) : value;
  return text.isWellFormed() ? text : text.toWellFormed();
}

/** What React Email's `<Preview>` (@react-email/preview) does with its text; the compiler checks these. */
export const previewFormat = {
  maxLength: 150,
  padding: '\u00a0\u200c\u200b\u200d\u200e\u200f\ufeff',
} as const;

function previewHtml(value: string): string {
  const text = value.substring(0, previewFormat.maxLength);
  const pad = previewFormat.maxLength - text.length;
  return pad > 0 ? `${escapeHtml(text)}<div>${previewFormat.padding.repeat(pad)}</div>` : escapeHtml(text);
}

export const holeFills: Record<HoleKind, (value: string) => string> = {
  text: escapeHtml,
  broken: (value) => escapeHtml(breakLongWords(value)),
  preview: previewHtml,
  raw: (value) => value,
};

// Most holes hold text that many alerts share: the brand, the organization and the footer of a
// tenant, the severity and category labels, the summary of a severity or duration, the dates (an
// alert's later events repeat its creation time). Breaking and escaping one costs a scan of it by
// character code per email, so the HTML of the last few hundred is kept, as formatDateTime keeps
// its texts. Not for the alert's own free text (title, description, notes): it recurs only within
// one alert's events and would just push the shared texts out. The memory stays flat: the map is
// emptied when full, and only short texts are kept.
const perAlertText = new Set(['title', 'description', 'notes.value']);
const KEPT_MAX = 512;
const KEPT_LENGTH_MAX = 256;
const keptBroken = new Map<string, string>();

function brokenShared(value: string): string {
  if (value.length > KEPT_LENGTH_MAX) return holeFills.broken(value);
  let html = keptBroken.get(value);
  if (html === undefined) {
    html = holeFills.broken(value);
    if (keptBroken.size >= KEPT_MAX) keptBroken.clear();
    keptBroken.set(value, html);
  }
  return html;
}

/** How one hole is filled: `holeFills[kind]`, with the HTML of shared text kept. */
function fillFor(kind: HoleKind, name: string): (value: string) => string {
  return kind === 'broken' && !perAlertText.has(name) ? brokenShared : holeFills[kind];
}

/** A shape's parts, ready to fill: static HTML, or a hole's name and how to fill it. */
type Part<V> = string | { value: (view: V) => string; fill: (value: string) => string };
type Shapes = Record<string, number[]>;
const prepared = new WeakMap<Shapes, Map<string, Part<never>[]>>();

function prepare<V>(compiled: CompiledEmails, shapes: Shapes, shape: string): Part<V>[] | undefined {
  const parts = shapes[shape];
  if (!parts) return undefined;
  return parts.map((n) => {
    if (n >= 0) return compiled.chunks[n]!;
    const spec = compiled.holes[-n - 1]!;
    const colon = spec.indexOf(':');
    const name = spec.slice(colon + 1);
    return { value: holeValue<V>(name), fill: fillFor(spec.slice(0, colon) as HoleKind, name) };
  });
}

/**
 * One compiled template (`shapes[shape]`, of the alert emails or of a digest's page or row) filled
 * with a view's values, escaped into its holes. Byte for byte what the React template renders.
 */
export function fillCompiledHtml<V>(
  compiled: CompiledEmails,
  shapes: Shapes,
  shape: string,
  view: V,
): string {
  let byShape = prepared.get(shapes) as Map<string, Part<V>[]> | undefined;
  if (!byShape) {
    byShape = new Map();
    prepared.set(shapes, byShape as Map<string, Part<never>[]>);
  }
  let parts = byShape.get(shape);
  if (!parts) {
    parts = prepare<V>(compiled, shapes, shape);
    // Every shape the inputs can make is compiled; a miss is a bug in the compiler's enumeration.
    if (!parts) throw new Error(`No compiled email template for the shape "${shape}": rebuild the package`);
    byShape.set(shape, parts);
  }
  let html = '';
  for (const part of parts) html += typeof part === 'string' ? part : part.fill(part.value(view));
  return html;
}

/**
 * The email's HTML from the compiled templates: the shape's static HTML with the view's values
 * escaped into its holes. Byte for byte what the React templates render for the same view.
 */
export function fillEmailHtml(view: AlertView, compiled: CompiledEmails): string {
  return fillCompiledHtml(compiled, compiled.shapes, emailShapeOf(view), view);
}
