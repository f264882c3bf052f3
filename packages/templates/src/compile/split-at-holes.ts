import { breakDefaults, breakLongWords } from '../break-long-words.js';
import type { HoleKind } from '../email/compiled-emails.js';
import { previewFormat } from '../email/fill-email-html.js';

// A hole's marker: private-use characters that no escaping touches, one longer than the longest
// unbroken run, so that `breakLongWords` visibly breaks it when a template breaks that value.
const MARK = '\ue000';
export const marker = (i: number) =>
  `${MARK}${String.fromCharCode(0xe100 + i)}${'\ue001'.repeat(breakDefaults.maxRun - 1)}`;
const leftover = /[\ue000-\ue1ff]/;
// React writes this between two adjacent text nodes, and not when one of them is empty.
const TEXT_SEPARATOR = '<!-- -->';

/** Splits the HTML rendered from a view of markers into static pieces and holes. */
export function splitAtHoles(html: string, names: string[]): (string | { kind: HoleKind; name: string })[] {
  const parts: (string | { kind: HoleKind; name: string })[] = [];
  const previewPad = (length: number) =>
    `<div>${previewFormat.padding.repeat(previewFormat.maxLength - length)}</div>`;
  let start = 0;
  for (let at = html.indexOf(MARK); at !== -1; at = html.indexOf(MARK, start)) {
    const id = html.charCodeAt(at + 1) - 0xe100;
    const name = names[id];
    if (name === undefined) throw new Error(`Unknown hole marker at ${at}: ${html.slice(at - 40, at + 40)}`);
    const raw = marker(id);
    const broken = breakLongWords(raw);
    let kind: HoleKind;
    let end: number;
    if (html.startsWith(broken, at)) [kind, end] = ['broken', at + broken.length];
    else if (html.startsWith(raw, at)) [kind, end] = ['text', at + raw.length];
    else {
      throw new Error(
        `A template changed "${name}" (cut it, changed its case or joined it with other text): ` +
          'do that in buildAlertView, so that the value is a hole as it is shown',
      );
    }
    if (kind === 'text' && html.startsWith(previewPad(raw.length), at + raw.length)) {
      kind = 'preview';
      end += previewPad(raw.length).length;
    }
    if (html.slice(start, at).endsWith(TEXT_SEPARATOR) || html.startsWith(TEXT_SEPARATOR, end)) {
      // An empty value would drop the separator: that text is part of the shape, not a hole.
      throw new Error(
        `"${name}" is next to other text in one element: wrap it in its own element, or make its ` +
          'emptiness part of emailShapeOf',
      );
    }
    if (at > start) parts.push(html.slice(start, at));
    parts.push({ kind, name });
    start = end;
  }
  if (start < html.length) parts.push(html.slice(start));
  for (const part of parts) {
    if (typeof part === 'string' && leftover.test(part)) throw new Error(`A hole marker was cut: ${part}`);
  }
  return parts;
}

/**
 * Renders each template once per shape, with a marker in every hole, through the same React Email
 * `render` as the React templates; then checks each compiled shape against React's own render of a
 * real view of that shape.
 */
