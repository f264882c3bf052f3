import type { ValidationIssue } from '@pytake/notify-core';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/** An error the API answers with its own status and a JSON body `{ error: { code, message, issues? } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
    readonly issues?: readonly ValidationIssue[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON() {
    return {
      error: { code: this.code, message: this.message, ...(this.issues ? { issues: this.issues } : {}) },
    };
  }
}

/** Answers an ApiError with its status; anything else is the caller's to handle. */
export function apiErrorResponse(error: unknown): Response | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return Response.json(error.toJSON(), { status: error.status });
}
