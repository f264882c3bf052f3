import { render } from '@react-email/render';
import { type AlertView, buildAlertView } from '../alert-view.js';
import type { CompiledEmails } from '../email/compiled-emails.js';
import { emailShapeOf, holeValue, mapEmailHoles } from '../email/email-holes.js';
import { fillEmailHtml } from '../email/fill-email-html.js';
import { resolveOptions } from '../options.js';
import { AlertEmailView } from '../react/alert-email-view.js';
import { toAlertEvent } from '../to-alert-event.js';
import { compileDigestTemplates } from './compile-digest-templates.js';
import { compileInputsHash, renderingPackages } from './compile-inputs.js';
import { emailInputs } from './enumerate-email-inputs.js';
import { marker, splitAtHoles } from './split-at-holes.js';

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

/**
 * Stores a template's pieces in `compiled`: each static piece and each hole once, the template as
 * their numbers. `raw` names the holes that take HTML filled from other templates.
 */
export type Intern = (parts: ReturnType<typeof splitAtHoles>, raw?: ReadonlySet<string>) => number[];

function interner(compiled: CompiledEmails): Intern {
  const chunkIds = new Map<string, number>();
  const holeIds = new Map<string, number>();
  return (parts, raw) =>
    parts.map((part) => {
      if (typeof part === 'string') {
        if (!chunkIds.has(part)) chunkIds.set(part, compiled.chunks.push(part) - 1);
        return chunkIds.get(part)!;
      }
      const kind = raw?.has(part.name) ? 'raw' : part.kind;
      const spec = `${kind}:${part.name}`;
      if (!holeIds.has(spec)) holeIds.set(spec, compiled.holes.push(spec) - 1);
      return -holeIds.get(spec)! - 1;
    });
}

/**
 * Renders each template once per shape, with a marker in every hole, through the same React Email
 * `render` as the React templates; then checks each compiled shape against React's own render of a
 * real view of that shape. The same for a storm digest's page and rows (compile-digest-templates).
 */
export async function compileEmailTemplates(): Promise<CompiledEmails> {
  const compiled: CompiledEmails = {
    versions: renderingPackages(),
    inputs: compileInputsHash(),
    chunks: [],
    holes: [],
    shapes: {},
    digest: { pages: {}, rows: {} },
  };
  const intern = interner(compiled);
  const views = viewsByShape();
  for (const [shape, view] of views) {
    const names: string[] = [];
    const marked = mapEmailHoles(view, (name, value) => {
      if (holeValue(name)(view) !== value)
        throw new Error(`The hole "${name}" is not at that path in the view`);
      return marker(names.push(name) - 1);
    });
    const html = await render(<AlertEmailView view={marked} />);
    compiled.shapes[shape] = intern(splitAtHoles(html, names));
  }
  for (const [shape, view] of views) {
    const expected = await render(<AlertEmailView view={view} />);
    if (fillEmailHtml(view, compiled) !== expected) {
      throw new Error(`The compiled template of "${shape}" does not give React's HTML for its own sample`);
    }
  }
  await compileDigestTemplates(compiled, intern);
  return compiled;
}
