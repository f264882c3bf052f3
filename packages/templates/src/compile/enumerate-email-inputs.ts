import { type AlertEventInput, alertEventSchema, LOCALES } from '@pytake/notify-core';
import type { AlertEmailOptions } from '../options.js';

/** The zod schema surface this reads: core's event schemas, walked through zod's public `def`. */
interface Field {
  def: {
    type: string;
    innerType?: Field;
    shape?: Record<string, Field>;
    values?: unknown[];
    entries?: Record<string, unknown>;
    format?: string;
  };
  isOptional(): boolean;
}

const instant = '2025-12-14T14:30:00Z';

/**
 * The values worth trying for one field: the literal; every option of an enum; absent or present for
 * an optional string (what decides whether a row or section shows); one valid value otherwise.
 */
function choices(field: Field): unknown[] {
  const optional = field.isOptional();
  const inner = field.def.innerType ?? field;
  const absent = optional ? [undefined] : [];
  switch (inner.def.type) {
    case 'literal':
      return inner.def.values!;
    case 'enum':
      return [...absent, ...Object.values(inner.def.entries!)];
    case 'string':
      return [...absent, inner.def.format === 'url' ? 'https://app.example.com/alerts/a1' : 'Sample text'];
    case 'number':
      return optional ? absent : [1];
    default:
      // Dates (required ones all at one instant, so every event is valid) and records.
      return optional ? absent : [instant];
  }
}

type Combination = Record<string, unknown>;

/** Every combination of the fields' choices (objects are expanded into their own combinations). */
function product(shape: Record<string, Field>): Combination[] {
  let out: Combination[] = [{}];
  for (const [key, field] of Object.entries(shape)) {
    const inner = field.def.innerType ?? field;
    const values = inner.def.type === 'object' ? product(inner.def.shape!) : choices(field);
    out = out.flatMap((partial) =>
      values.map((value) => (value === undefined ? partial : { ...partial, [key]: value })),
    );
  }
  return out;
}

/**
 * The options that change what an email looks like: locale, a logo or not, a dashboard link or not,
 * reported first in a storm digest or not.
 */
const optionChoices: AlertEmailOptions[] = LOCALES.flatMap((locale) =>
  [undefined, 'https://app.example.com/logo.png'].flatMap((logoUrl) =>
    [undefined, 'https://app.example.com/'].flatMap((dashboardUrl) =>
      [undefined, 'dgst_sample'].map((firstReportedInDigest) => ({
        locale,
        ...(dashboardUrl ? { dashboardUrl } : {}),
        ...(firstReportedInDigest ? { firstReportedInDigest } : {}),
        brand: { name: 'Sample', ...(logoUrl ? { logoUrl } : {}) },
      })),
    ),
  ),
);

/**
 * Every kind of input the email templates can get, from core's event schema: each event type × each
 * value of every enum (severity, status) × every optional text field present or absent × the
 * options that matter. The compiler turns these into shapes; nothing here lists a shape by hand.
 */
export function* emailInputs(): Generator<{ event: AlertEventInput; options: AlertEmailOptions }> {
  const schema = alertEventSchema as unknown as { options: { def: { shape: Record<string, Field> } }[] };
  for (const eventType of schema.options) {
    for (const event of product(eventType.def.shape)) {
      for (const options of optionChoices) yield { event: event as AlertEventInput, options };
    }
  }
}
