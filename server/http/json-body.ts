import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorResponse, messages } from './errors.ts';
import { isJsonType } from './validate.ts';

/** Default cap for JSON requests; attachment routes set their own. */
export const JSON_LIMIT_BYTES = 256 * 1024;

export function limitBody(maxSize: number): MiddlewareHandler {
  return bodyLimit({ maxSize, onError: (c) => errorResponse(c, 413, messages.tooLarge) });
}

/**
 * The API-wide cap for JSON bodies. Routes taking images or forms set their own larger limit; any
 * other body they are sent is refused with 415 before it is read.
 */
export function limitJsonBodies(maxSize: number): MiddlewareHandler {
  const limit = limitBody(maxSize);
  return (c, next) => (isJsonType(c.req.header('content-type')) ? limit(c, next) : next());
}
