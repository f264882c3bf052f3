import { render } from '@react-email/render';
import { type AlertView, buildAlertView } from '../alert-view.js';
import { breakDefaults, breakLongWords } from '../break-long-words.js';
import type { CompiledEmails, HoleKind } from '../email/compiled-emails.js';
import { emailShapeOf, holeValue, mapEmailHoles } from '../email/email-holes.js';
import { fillEmailHtml, previewFormat } from '../email/fill-email-html.js';
import { resolveOptions } from '../options.js';
import { AlertEmailView } from '../react/alert-email-view.js';
import { toAlertEvent } from '../to-alert-event.js';
import { compileInputsHash, renderingPackages } from './compile-inputs.js';
import { emailInputs } from './enumerate-email-inputs.js';

// A hole's marker: private-use characters that no escaping touches, one longer than the longest
// unbroken run, so that `breakLongWords` visibly breaks it when a template breaks that value.
const MARK = '\ue000';
const marker = (i: number) =>
  `${MARK}${String.fromCharCode(0xe100 + i)}${'\ue001'.repeat(breakDefaults.maxRun - 1)}`;
const leftover = /[\ue000-\ue1ff]/;
// React writes this between two adjacent text nodes, and not when one of them is empty.
const TEXT_SEPARATOR = '<!-- -->';

/** The view of every shape, and a check that views of one shape differ only in their holes. */
function viewsByShape(): Map<string, AlertView> {
  const views = new Map<string, AlertView>();
  const statics = new Map<string, string>();
  for (const { event, options } of emailInputs()) {
    const view = buildAlertView(toAlertEvent(event), resolveOptions(options));
    const shape = emailShapeOf(view);
    // The view with its holes named instead of filled: all that is left is what the templates
    // decide on. (Of the actions, the email shows only the View link.)
    const rest = JSON.stringify({
      ...mapEmailHoles(view, (name) => name),
      messages: view.messages.locale,
      actions: view.actions.includes('view'),
    });
    const seen = statics.get(shape);
    if (seen === undefined) {
      statics.set(shape, rest);
      views.set(shape, view);
    } else if (seen !== rest) {
      throw new Error(
        `emailShapeOf() gives "${shape}" to two views that differ outside their holes:\n${seen}\n${rest}`,
      );
    }
  }
  return views;
}

/** Splits the HTML rendered from a view of markers into static pieces and holes. */
function splitAtHoles(html: string, names: string[]): (string | { kind: HoleKind; name: string })[] {
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
export async function compileEmailTemplates(): Promise<CompiledEmails> {
  const compiled: CompiledEmails = {
    versions: renderingPackages(),
    inputs: compileInputsHash(),
    chunks: [],
    holes: [],
    shapes: {},
  };
  const chunkIds = new Map<string, number>();
  const holeIds = new Map<string, number>();
  const views = viewsByShape();
  for (const [shape, view] of views) {
    const names: string[] = [];
    const marked = mapEmailHoles(view, (name, value) => {
      if (holeValue(name)(view) !== value)
        throw new Error(`The hole "${name}" is not at that path in the view`);
      return marker(names.push(name) - 1);
    });
    const html = await render(<AlertEmailView view={marked} />);
    compiled.shapes[shape] = splitAtHoles(html, names).map((part) => {
      if (typeof part === 'string') {
        if (!chunkIds.has(part)) chunkIds.set(part, compiled.chunks.push(part) - 1);
        return chunkIds.get(part)!;
      }
      const spec = `${part.kind}:${part.name}`;
      if (!holeIds.has(spec)) holeIds.set(spec, compiled.holes.push(spec) - 1);
      return -holeIds.get(spec)! - 1;
    });
  }
  for (const [shape, view] of views) {
    const expected = await render(<AlertEmailView view={view} />);
    if (fillEmailHtml(view, compiled) !== expected) {
      throw new Error(`The compiled template of "${shape}" does not give React's HTML for its own sample`);
    }
  }
  return compiled;
}
