import type { AlertView, DetailRow } from '../alert-view.js';

/**
 * The data of an email: the parts of the view that change from one alert to the next. Each is a
 * hole in the compiled templates, filled (escaped) when an email is sent. Everything else in the view
 * (event type, locale, severity and its colors, labels, which rows and sections there are) is the
 * template's shape. This is the one place that says which is which: the compiler renders a view whose
 * holes hold markers, and the renderer fills the same names. A hole's name is its path in the view
 * (`eventDetails.2.value`), which the compiler checks.
 */
export function mapEmailHoles(view: AlertView, fill: (name: string, value: string) => string): AlertView {
  const hole = (name: string, value: string | undefined) =>
    value === undefined ? undefined : fill(name, value);
  const rows = (list: readonly DetailRow[], name: string) =>
    list.map((row, i) => ({ ...row, value: fill(`${name}.${i}.value`, row.value) }));
  return {
    ...view,
    subject: fill('subject', view.subject),
    title: fill('title', view.title),
    summary: fill('summary', view.summary),
    description: hole('description', view.description),
    organization: fill('organization', view.organization),
    createdAt: fill('createdAt', view.createdAt),
    footer: fill('footer', view.footer),
    url: hole('url', view.url),
    alertId: fill('alertId', view.alertId),
    eventDetails: rows(view.eventDetails, 'eventDetails'),
    alertDetails: rows(view.alertDetails, 'alertDetails'),
    notes: view.notes && { ...view.notes, value: fill('notes.value', view.notes.value) },
    brand: {
      name: fill('brand.name', view.brand.name),
      color: fill('brand.color', view.brand.color),
      logoUrl: hole('brand.logoUrl', view.brand.logoUrl),
    },
  };
}

/** Reads a hole's value from a view: its name is its path (`brand.name`, `eventDetails.2.value`). */
export function holeValue<V = AlertView>(name: string): (view: V) => string {
  const path = name.split('.');
  type Node = Record<string, unknown>;
  // Names are one to three keys deep: a reader per depth reads the keys directly, with no loop per
  // hole per email.
  const [a, b, c] = path as [string, string?, string?];
  if (path.length === 1) return (view) => (view as unknown as Node)[a] as string;
  if (path.length === 2) return (view) => ((view as unknown as Node)[a] as Node)[b!] as string;
  if (path.length === 3) return (view) => (((view as unknown as Node)[a] as Node)[b!] as Node)[c!] as string;
  return (view) => {
    let value: unknown = view;
    for (const key of path) value = (value as Node)[key];
    return value as string;
  };
}

/**
 * Which compiled template a view needs: what the email templates decide on, as one string. The
 * compiler checks, over every input it enumerates, that views with the same shape differ only in
 * their holes (so a decision the templates make and this key misses fails the build).
 */
export function emailShapeOf(view: AlertView): string {
  let rows = '';
  for (const row of view.eventDetails) rows += `${row.label};`;
  return (
    `${view.type}|${view.messages.locale}|${view.severity}|${rows}|` +
    `${view.description === undefined ? '' : 'description,'}${view.notes ? 'notes,' : ''}` +
    `${view.callToAction ? 'callToAction,' : ''}${view.url && view.actions.includes('view') ? 'link,' : ''}` +
    `${view.brand.logoUrl ? 'logo' : ''}${view.firstReportedInDigest ? ',digest' : ''}`
  );
}
