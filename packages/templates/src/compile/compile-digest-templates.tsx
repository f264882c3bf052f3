import {
  ALERT_EVENT_TYPES,
  type AlertDigest,
  type AlertEvent,
  type AlertEventType,
  LOCALES,
  SEVERITIES,
  type Severity,
} from '@pytake/notify-core';
import { render } from '@react-email/render';
import { buildDigestView, type DigestItem } from '../digest-view.js';
import type { CompiledEmails } from '../email/compiled-emails.js';
import {
  type DigestEmailContent,
  type DigestEmailPage,
  digestEmailContent,
  digestEmailDefaults,
  digestPageShapeOf,
  digestRowShapeOf,
  mapDigestPageHoles,
  mapDigestRowHoles,
} from '../email/digest-email-content.js';
import { holeValue } from '../email/email-holes.js';
import { fillCompiledHtml } from '../email/fill-email-html.js';
import { type AlertEmailOptions, resolveOptions } from '../options.js';
import { DigestEmailPageView } from '../react/digest-email-page.js';
import { DigestEmailRow } from '../react/digest-email-row.js';
import { DigestEmailView } from '../react/digest-email-view.js';
import type { Intern } from './compile-email-templates.js';
import { marker, splitAtHoles } from './split-at-holes.js';

const at = new Date('2025-12-14T14:30:00Z');

/** A valid event of each type, for the views the compiler renders. */
function sampleEvent(type: AlertEventType, severity: Severity, url: boolean, i: number): AlertEvent {
  const alert = {
    id: `alrt_${i}`,
    organizationId: 'org_sample',
    title: 'Sample title',
    severity,
    category: 'system',
    status: 'open' as const,
    createdAt: at,
    escalationLevel: 1,
    metadata: {},
    ...(url ? { url: 'https://app.example.com/alerts/a1' } : {}),
  };
  switch (type) {
    case 'alert.created':
      return { type, occurredAt: at, alert };
    case 'alert.escalated':
      return { type, occurredAt: at, alert, fromLevel: 1, toLevel: 2 };
    case 'alert.resolved':
      return { type, occurredAt: at, alert };
    case 'alert.stale':
      return { type, occurredAt: at, alert, lastActivityAt: at };
  }
}

const digestOf = (events: AlertEvent[]): AlertDigest => ({
  id: 'dgst_sample',
  organizationId: 'org_sample',
  events,
  startedAt: at,
  endedAt: new Date(at.getTime() + 5 * 60_000),
});

/**
 * Every kind of digest email: each locale × the most severe alert's severity × more alerts than
 * fit or not × an alert-list link or not × a logo or not; and, for the rows, each locale × severity
 * × event type × a link to the alert or not.
 */
function* digestContents(): Generator<DigestEmailContent> {
  for (const locale of LOCALES) {
    for (const logoUrl of [undefined, 'https://app.example.com/logo.png']) {
      for (const dashboardUrl of [undefined, 'https://app.example.com/']) {
        const options: AlertEmailOptions = {
          locale,
          ...(dashboardUrl ? { dashboardUrl } : {}),
          brand: { name: 'Sample', ...(logoUrl ? { logoUrl } : {}) },
        };
        const resolved = resolveOptions(options);
        for (const severity of SEVERITIES) {
          for (const count of [1, digestEmailDefaults.maxRows + 1]) {
            const events = Array.from({ length: count }, (_, i) =>
              sampleEvent('alert.created', severity, false, i),
            );
            yield digestEmailContent(buildDigestView(digestOf(events), resolved));
          }
        }
        const rows = SEVERITIES.flatMap((severity) =>
          ALERT_EVENT_TYPES.flatMap((type) => [true, false].map((url) => ({ type, severity, url }))),
        );
        const events = rows.map(({ type, severity, url }, i) => sampleEvent(type, severity, url, i));
        yield digestEmailContent(buildDigestView(digestOf(events), resolved));
      }
    }
  }
}

/** One sample of each shape, checking that samples of one shape differ only in their holes. */
function byShape<V>(
  samples: Iterable<V>,
  shapeOf: (sample: V) => string,
  withHolesNamed: (sample: V) => unknown,
): Map<string, V> {
  const found = new Map<string, V>();
  const statics = new Map<string, string>();
  for (const sample of samples) {
    const shape = shapeOf(sample);
    const rest = JSON.stringify(withHolesNamed(sample));
    const seen = statics.get(shape);
    if (seen === undefined) {
      statics.set(shape, rest);
      found.set(shape, sample);
    } else if (seen !== rest) {
      throw new Error(`"${shape}" is the shape of two digest templates that differ outside their holes`);
    }
  }
  return found;
}

/** A view with a marker in each hole, and the holes' names in marker order. */
function marked<V>(view: V, map: (view: V, fill: (name: string, value: string) => string) => V) {
  const names: string[] = [];
  const withMarkers = map(view, (name, value) => {
    if (holeValue<V>(name)(view) !== value) throw new Error(`The hole "${name}" is not at that path`);
    return marker(names.push(name) - 1);
  });
  return { withMarkers, names };
}

// The page's hole that takes the rows' HTML.
const rawHoles: ReadonlySet<string> = new Set(['rows']);

/**
 * Compiles a storm digest's email into `compiled.digest`: its page with a hole for the rows, and
 * the row of one alert; then checks the filled templates against React's render of each sample.
 */
export async function compileDigestTemplates(compiled: CompiledEmails, intern: Intern): Promise<void> {
  const contents = [...digestContents()];
  const pages = byShape(
    contents.map((content) => content.page),
    digestPageShapeOf,
    (page) => ({ ...mapDigestPageHoles(page, (name) => name), messages: page.messages.locale }),
  );
  const rows = byShape<DigestItem>(
    contents.flatMap((content) => content.items),
    digestRowShapeOf,
    (item) => mapDigestRowHoles(item, (name) => name),
  );
  for (const [shape, page] of pages) {
    const { withMarkers, names } = marked<DigestEmailPage>(page, mapDigestPageHoles);
    const html = await render(
      <DigestEmailPageView page={withMarkers}>{withMarkers.rows}</DigestEmailPageView>,
    );
    compiled.digest.pages[shape] = intern(splitAtHoles(html, names), rawHoles);
  }
  for (const [shape, item] of rows) {
    const { withMarkers, names } = marked<DigestItem>(item, mapDigestRowHoles);
    // A row renders alone inside a table (a <tr> must be in one), whose tags are then cut off.
    const html = await render(
      <table>
        <tbody>
          <DigestEmailRow item={withMarkers} />
        </tbody>
      </table>,
    );
    const row = html.slice(html.indexOf('<tbody>') + '<tbody>'.length, html.lastIndexOf('</tbody>'));
    const parts = splitAtHoles(row, names);
    let staticBytes = 0;
    for (const part of parts) if (typeof part === 'string') staticBytes += Buffer.byteLength(part);
    if (staticBytes > digestEmailDefaults.rowStaticBytesMax) {
      throw new Error(
        `A digest row has ${staticBytes} bytes of HTML: raise digestEmailDefaults.rowStaticBytesMax`,
      );
    }
    compiled.digest.rows[shape] = intern(parts);
  }
  for (const content of contents) {
    let filledRows = '';
    for (const item of content.items)
      filledRows += fillCompiledHtml(compiled, compiled.digest.rows, digestRowShapeOf(item), item);
    const page = { ...content.page, rows: filledRows };
    const filled = fillCompiledHtml(compiled, compiled.digest.pages, digestPageShapeOf(page), page);
    if (filled !== (await render(<DigestEmailView content={content} />))) {
      throw new Error(`The compiled digest of "${digestPageShapeOf(page)}" does not give React's HTML`);
    }
  }
}
