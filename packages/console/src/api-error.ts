import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ApiErrorBody } from './api-types.js';

/** An error the API answers with its own status and `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toJSON(): ApiErrorBody {
    return { error: { code: this.code, message: this.message } };
  }
}
