import type { Context } from 'hono';
import { ApiError } from './api-error.js';

/** Reads a JSON body, answering 400 with the parser's own words when it is not JSON. */
export async function readJson(c: Context): Promise<unknown> {
  const text = await c.req.text();
  if (text.trim() === '')
    throw new ApiError(400, 'bad_json', 'Request body is empty: expected a JSON object');
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ApiError(400, 'bad_json', `Request body is not valid JSON: ${(error as Error).message}`);
  }
}
