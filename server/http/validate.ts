import type { Context, Env, MiddlewareHandler, TypedResponse } from 'hono';
import * as v from 'valibot';
import type { ErrorBody } from '../../shared/api/errors.ts';
import { issuesByField } from '../../shared/field-issues.ts';
import { errorResponse, messages } from './errors.ts';

export type ValidationTarget = 'json' | 'query' | 'param' | 'header';

/** What a validator knows of its request part; the OpenAPI document reads it from the route. */
export interface ValidationMeta {
  target: ValidationTarget;
  schema: v.GenericSchema;
  /** The status of a refusal of invalid data. */
  status: RefusalStatus;
}

export type RefusalStatus = 400 | 404;

export const VALIDATION = Symbol('validation');

export interface ValidateOptions {
  /**
   * Answer the first issue's message alone as the error, without the issue list: for a path, query
   * or header part whose schema words its own short message (a bad id, a missing header).
   */
  brief?: boolean;
  /** 404 where a malformed id is answered exactly like an unknown one; 400 otherwise. */
  status?: RefusalStatus;
}

type Refusal = TypedResponse<ErrorBody, RefusalStatus | 415, 'json'>;

export type Validator<T extends ValidationTarget, S extends v.GenericSchema, E extends Env = Env, P extends string = string> = MiddlewareHandler<
  E,
  P,
  { in: { [K in T]: v.InferInput<S> }; out: { [K in T]: v.InferOutput<S> } },
  Refusal
> & { readonly [VALIDATION]: ValidationMeta };

export const isJsonType = (type: string | undefined) => /^application\/json\s*(;|$)/i.test(type ?? '');

type Read<T = unknown> = { ok: true; value: T } | { ok: false; response: Response };

async function readTarget(c: Context, target: ValidationTarget): Promise<Read> {
  if (target === 'query') return { ok: true, value: c.req.query() };
  if (target === 'param') return { ok: true, value: c.req.param() };
  if (target === 'header') return { ok: true, value: c.req.header() };
  if (!isJsonType(c.req.header('content-type'))) return { ok: false, response: errorResponse(c, 415, messages.notJson) };
  try {
    return { ok: true, value: await c.req.json() };
  } catch {
    return { ok: false, response: errorResponse(c, 400, messages.badJson) };
  }
}

/** Reads and validates one part of the request, or gives the refusal to answer with. */
async function parseRequest<S extends v.GenericSchema>(
  c: Context,
  target: ValidationTarget,
  schema: S,
  options: ValidateOptions = {},
): Promise<Read<v.InferOutput<S>>> {
  const read = await readTarget(c, target);
  if (!read.ok) return read;
  // A schema part without its own message would get valibot's English default, which quotes the input.
  // Synchronous (the schemas are; S admits no async one): the async runner awaits every step of every
  // field, which doubled what a draft's validation costs.
  const result = v.safeParse(schema, read.value, { message: messages.badField });
  if (result.success) return { ok: true, value: result.output };
  const issues = issuesByField(result.issues);
  const status = options.status ?? 400;
  if (options.brief) return { ok: false, response: errorResponse(c, status, issues[0]?.message ?? messages.invalid) };
  return { ok: false, response: errorResponse(c, status, messages.invalid, issues) };
}

/**
 * Validates one part of the request with a valibot schema; the handler reads the parsed value with
 * `c.req.valid(target)`. A JSON body of another media type is answered 415, malformed JSON 400, and
 * invalid data 400 with the field issues: each names the field and carries the schema's message,
 * never the submitted value. (Too large a body is refused before, by `limitJsonBodies`.)
 */
export function validate<T extends ValidationTarget, S extends v.GenericSchema, E extends Env = Env, P extends string = string>(
  target: T,
  schema: S,
  options: ValidateOptions = {},
): Validator<T, S, E, P> {
  const middleware = async (c: Context, next: () => Promise<void>) => {
    const parsed = await parseRequest(c, target, schema, options);
    if (!parsed.ok) return parsed.response;
    c.req.addValidatedData(target, parsed.value as object);
    await next();
  };
  return Object.assign(middleware, { [VALIDATION]: { target, schema, status: options.status ?? 400 } }) as unknown as Validator<T, S, E, P>;
}

export function validationOf(handler: unknown): ValidationMeta | undefined {
  return typeof handler === 'function' ? (handler as { [VALIDATION]?: ValidationMeta })[VALIDATION] : undefined;
}
