/** Every way a notification can fail, as a stable string a caller can switch on. */
export type NotifyErrorCode =
  | 'validation'
  | 'config'
  | 'auth'
  | 'timeout'
  | 'rate_limited'
  | 'transient'
  | 'permanent'
  | 'aborted';

/** What a NotifyError is built from: its code, whether it is retryable, and its cause. */
export interface NotifyErrorOptions {
  code: NotifyErrorCode;
  /** Whether trying again later may succeed. Only retryable errors are retried by `retry()`. */
  retryable?: boolean;
  /** How long the provider asked us to wait (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  cause?: unknown;
}

// A Symbol.for marker instead of `instanceof`, so that the guard still works when a service ends up
// with two copies of this package (two versions, or ESM and CJS side by side).
const marker = Symbol.for('@pytake/notify-core/NotifyError');

/** The one base error of PyTake Notify. The message says what went wrong and what to do. */
export class NotifyError extends Error {
  readonly [marker] = true;
  readonly code: NotifyErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  /** How many attempts were made before giving up; set by `retry()`. */
  attempts: number | undefined;

  constructor(message: string, options: NotifyErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'NotifyError';
    this.code = options.code;
    this.retryable = options.retryable ?? false;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** True for any NotifyError (or subclass), from any copy of this package. */
export function isNotifyError(error: unknown): error is NotifyError {
  return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[marker] === true;
}

/** One problem with an input: where (`alert.severity`) and what is expected. */
export interface ValidationIssue {
  path: string;
  message: string;
}

function describeIssues(summary: string, issues: readonly ValidationIssue[]): string {
  const lines = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message));
  return lines.length === 1 ? `${summary}: ${lines[0]}` : `${summary}:\n- ${lines.join('\n- ')}`;
}

/** Malformed input: nothing was sent. `issues` lists every bad field by path. */
export class ValidationError extends NotifyError {
  readonly issues: readonly ValidationIssue[];

  constructor(summary: string, issues: readonly ValidationIssue[], options: { cause?: unknown } = {}) {
    super(describeIssues(summary, issues), { code: 'validation', cause: options.cause });
    this.name = 'ValidationError';
    this.issues = issues;
  }
}

/** Bad configuration (environment variables, options). Secrets are never echoed. */
export class ConfigError extends NotifyError {
  readonly issues: readonly ValidationIssue[];

  constructor(summary: string, issues: readonly ValidationIssue[] = [], options: { cause?: unknown } = {}) {
    super(issues.length ? describeIssues(summary, issues) : summary, {
      code: 'config',
      cause: options.cause,
    });
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

/** Wraps anything thrown into a NotifyError, keeping NotifyErrors as they are. */
export function toNotifyError(error: unknown, fallback: NotifyErrorCode = 'permanent'): NotifyError {
  if (isNotifyError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new NotifyError(message, { code: fallback, cause: error });
}
