import { isNotifyError, type ValidationError } from '@pytake/notify-core';
import type { ErrorHandler, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { ApiError } from './api-error.js';

/**
 * The app's answer to an error thrown by a route: an `ApiError` as it says, a template's rejection
 * of an input as 400, anything else as 500 (logged). `clean` removes secrets from every message.
 */
export function apiErrorHandler(clean: (text: string) => string): ErrorHandler {
  return (error, c) => {
    if (error instanceof ApiError) return c.json(error.toJSON(), error.status);
    // A template that rejects an input (e.g. a Slack limit with overflow 'error') is the input's fault.
    if (isNotifyError(error) && (error.code === 'validation' || error.code === 'config')) {
      const issues = (error as ValidationError).issues;
      return c.json({ error: { code: error.code, message: clean(error.message), issues } }, 400);
    }
    const message = clean(error instanceof Error ? error.message : String(error));
    console.error(`preview: ${c.req.method} ${c.req.path} failed: ${message}`);
    return c.json({ error: { code: isNotifyError(error) ? error.code : 'internal', message } }, 500);
  };
}

/** Refuses a body larger than `maxSize` bytes with 413 `too_large`, and closes the connection. */
export function apiBodyLimit(maxSize: number): MiddlewareHandler {
  return bodyLimit({
    maxSize,
    onError: (c) => {
      // The rest of the body is still on the wire: close the connection so no client reuses it.
      c.header('Connection', 'close');
      return c.json(
        { error: { code: 'too_large', message: `Request body is larger than ${maxSize} bytes` } },
        413,
      );
    },
  });
}
