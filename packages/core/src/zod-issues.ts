import type { z } from 'zod';
import type { ValidationIssue } from './errors.js';

/** Options of `formatZodIssues`. */
export interface FormatIssuesOptions {
  /** Paths (dotted) whose received value must never be echoed, e.g. `SMTP_PASSWORD`. */
  secret?: (path: string) => boolean;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out ? `.${String(key)}` : String(key);
  }
  return out;
}

const plural = (n: number | bigint, noun: string) => `${n} ${noun}${Number(n) === 1 ? '' : 's'}`;

/** A short description of a received value, safe for anything (a BigInt, a cycle, a null prototype). */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (value === null || typeof value !== 'object') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid date' : value.toISOString();
  return Array.isArray(value) ? 'an array' : 'an object';
}

/**
 * Turns zod issues into messages that name the field and say what is expected, e.g.
 * `alert.severity: expected one of critical, high, medium, low, got "urgent"`.
 * Parse with `{ reportInput: true }` so that the received value can be shown.
 */
export function formatZodIssues(error: z.ZodError, options: FormatIssuesOptions = {}): ValidationIssue[] {
  return error.issues.map((issue) => {
    const path = formatPath(issue.path);
    const input = (issue as { input?: unknown }).input;
    const got = options.secret?.(path) ? '' : `, got ${show(input)}`;
    let message: string;
    switch (issue.code) {
      case 'invalid_value':
        message = `expected one of ${issue.values.map(String).join(', ')}${got}`;
        break;
      case 'invalid_type':
        message = input === undefined ? `required (${issue.expected})` : `expected ${issue.expected}${got}`;
        break;
      case 'too_small':
        message =
          issue.origin === 'string'
            ? `expected at least ${plural(issue.minimum, 'character')}${got}`
            : issue.origin === 'array'
              ? `expected at least ${plural(issue.minimum, 'item')}`
              : `expected a value >= ${issue.minimum}${got}`;
        break;
      case 'too_big':
        message =
          issue.origin === 'string'
            ? `expected at most ${plural(issue.maximum, 'character')}${options.secret?.(path) ? '' : `, got ${String(input).length}`}`
            : issue.origin === 'array'
              ? `expected at most ${plural(issue.maximum, 'item')}`
              : `expected a value <= ${issue.maximum}${got}`;
        break;
      case 'invalid_union':
        message =
          'note' in issue && issue.note === 'No matching discriminator'
            ? `expected a known ${path || 'type'}${got}`
            : `${issue.message}${got}`;
        break;
      default:
        message = `${issue.message}${got}`;
    }
    return { path, message };
  });
}
