import type { Context, MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import * as v from 'valibot';
import { errorResponse, type FieldIssue, messages } from './errors.ts';

/** Default cap for JSON requests; attachment routes set their own. */
export const JSON_LIMIT_BYTES = 256 * 1024;

export function limitBody(maxSize: number): MiddlewareHandler {
  return bodyLimit({ maxSize, onError: (c) => errorResponse(c, 413, messages.tooLarge) });
}

const isJson = (type: string | undefined) => /^application\/json\s*(;|$)/i.test(type ?? '');

/**
 * The API-wide cap for JSON bodies. Routes taking images or forms set their own larger limit; any
 * other body they are sent is refused with 415 before it is read.
 */
export function limitJsonBodies(maxSize: number): MiddlewareHandler {
  const limit = limitBody(maxSize);
  return (c, next) => (isJson(c.req.header('content-type')) ? limit(c, next) : next());
}

function issuesOf(issues: readonly v.BaseIssue<unknown>[]): FieldIssue[] {
  return issues.map((issue) => ({
    field: v.getDotPath(issue) ?? '',
    message: issue.message,
  }));
}

type Parsed<T> = { ok: true; value: T } | { ok: false; response: Response };

/**
 * Reads a JSON body and validates it. Answers 415 for another media type, 400 for malformed JSON or
 * invalid data (with the field issues, never the submitted values).
 */
export async function readJson<S extends v.GenericSchema>(
  c: Context,
  schema: S,
): Promise<Parsed<v.InferOutput<S>>> {
  if (!isJson(c.req.header('content-type'))) {
    return { ok: false, response: errorResponse(c, 415, messages.notJson) };
  }
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    return { ok: false, response: errorResponse(c, 400, messages.badJson) };
  }
  const result = v.safeParse(schema, raw);
  if (!result.success) {
    return { ok: false, response: errorResponse(c, 400, messages.invalid, issuesOf(result.issues)) };
  }
  return { ok: true, value: result.output };
}
