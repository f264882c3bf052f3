import { RequestError } from './api.js';
import type { EditorProblem } from './components/props-editor.js';

/**
 * The request body for what the editor holds: an event, or `{ digest: { count } }` for a storm
 * digest (the server builds it: 2,000 alerts would be about a megabyte of JSON).
 */
export const subjectOf = (value: unknown) =>
  typeof value === 'object' && value !== null && 'digest' in value
    ? { digest: (value as { digest: unknown }).digest }
    : { event: value };

/** What the editor shows of a failed request: the server's validation issues, or its message. */
export const problemOf = (error: unknown): EditorProblem =>
  error instanceof RequestError
    ? {
        kind: error.body.error.code === 'validation' ? 'validation' : 'error',
        message: error.body.error.message,
        issues: error.body.error.issues,
      }
    : { kind: 'error', message: error instanceof Error ? error.message : String(error) };
