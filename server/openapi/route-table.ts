/**
 * The app's real route table, read for its documentation: Hono lists each middleware and handler of
 * a route as its own entry with the same method and path; here they are grouped back into one
 * operation with what its parts say of themselves.
 */
import { type RouteSpec, routeSpecOf } from './describe-route.ts';
import { type ValidationMeta, validationOf } from '../http/validate.ts';

export const HTTP_METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;
export type HttpMethod = (typeof HTTP_METHODS)[number];

export interface RouteTableOwner {
  routes: readonly { method: string; path: string; handler: unknown }[];
}

export interface RouteOperation {
  method: HttpMethod;
  /** In OpenAPI's spelling: `/api/drafts/{id}`. */
  path: string;
  spec: RouteSpec | undefined;
  validations: ValidationMeta[];
}

// Hono wraps the handlers of a sub-app that has its own error handler, keeping the original here.
const COMPOSED_HANDLER = '__COMPOSED_HANDLER';

function unwrap(handler: unknown): unknown {
  let current = handler;
  while (typeof current === 'function' && COMPOSED_HANDLER in current) {
    current = (current as unknown as Record<string, unknown>)[COMPOSED_HANDLER];
  }
  return current;
}

function openApiPath(basePath: string, path: string): string {
  const joined = `${basePath}${path}`.replace(/\/+$/, '') || '/';
  // `:id` and `:id{pattern}` become `{id}`.
  return joined.replace(/:(\w+)(\{[^}]*\})?\??/g, '{$1}');
}

const isHttpMethod = (method: string): method is HttpMethod => (HTTP_METHODS as readonly string[]).includes(method);

/** Every method and path the app answers (middleware mounted for all methods is left out). */
export function routeOperations(app: RouteTableOwner, basePath = ''): RouteOperation[] {
  const operations = new Map<string, RouteOperation>();
  for (const route of app.routes) {
    const method = route.method.toLowerCase();
    if (!isHttpMethod(method)) continue;
    const path = openApiPath(basePath, route.path);
    const key = `${method} ${path}`;
    let operation = operations.get(key);
    if (!operation) {
      operation = { method, path, spec: undefined, validations: [] };
      operations.set(key, operation);
    }
    const handler = unwrap(route.handler);
    const spec = routeSpecOf(handler);
    if (spec) operation.spec = spec;
    const validation = validationOf(handler);
    if (validation) operation.validations.push(validation);
  }
  return [...operations.values()];
}
