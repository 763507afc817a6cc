import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { errorResponse, messages } from './errors.ts';
import { isJsonType } from './validate.ts';

/** Default cap for JSON requests; attachment routes set their own. */
export const JSON_LIMIT_BYTES = 256 * 1024;

export function limitBody(maxSize: number): MiddlewareHandler {
  const counted = bodyLimit({ maxSize, onError: (c) => tooLarge(c, messages.tooLarge) });
  return (c, next) => {
    // A declared length is judged from the header alone (Node's parser holds the body to it): touching
    // the body would make the Node adapter build a whole web Request that a JSON route never needs.
    const declared = c.req.header('content-length');
    if (declared !== undefined && c.req.header('transfer-encoding') === undefined && /^\d{1,15}$/.test(declared)) {
      return Number(declared) > maxSize ? tooLarge(c, messages.tooLarge) : next();
    }
    // Chunked or odd: counted as it arrives.
    return counted(c, next);
  };
}

/** How much of a refused body is read and dropped so that the client gets the 413 on a sound connection. */
const DISCARD_MAX_BYTES = 8 * 1024 * 1024;

/** Reads the rest of a body and drops it; false when it could not be read to its end. */
async function discarded(body: ReadableStream<Uint8Array> | null): Promise<boolean> {
  if (!body) return true;
  if (body.locked) return false;
  const reader = body.getReader();
  let read = 0;
  try {
    for (;;) {
      const chunk = await reader.read();
      if (chunk.done) return true;
      read += chunk.value.byteLength;
      if (read > DISCARD_MAX_BYTES) {
        await reader.cancel();
        return false;
      }
    }
  } catch {
    return false;
  }
}

/**
 * The 413 answer, given once the refused body has been read and dropped: answered while the client is
 * still sending, the connection would be reset, losing the answer or the next request sent on it. A body
 * that cannot be read to its end (too long, already cut) gets its answer with the connection closed.
 */
export async function tooLarge(c: Context, message: string) {
  if (!(await discarded(c.req.raw.body))) c.header('Connection', 'close');
  return errorResponse(c, 413, message);
}

/**
 * The API-wide cap for JSON bodies. Routes taking images or forms set their own larger limit; any
 * other body they are sent is refused with 415 before it is read.
 */
export function limitJsonBodies(maxSize: number): MiddlewareHandler {
  const limit = limitBody(maxSize);
  return (c, next) => (isJsonType(c.req.header('content-type')) ? limit(c, next) : next());
}
