import { Hono } from 'hono';
import type { Storage } from './db/database.ts';
import { errorResponse, messages } from './http/errors.ts';
import { JSON_LIMIT_BYTES, limitBody } from './http/json-body.ts';
import { healthRoutes } from './health/health-routes.ts';

export interface AppDeps {
  storage: Storage;
}

/** The API: one small sub-app per resource, chained so the client can derive its types from `AppType`. */
export function createApi(deps: AppDeps) {
  const api = new Hono()
    .use('*', limitBody(JSON_LIMIT_BYTES))
    .route('/health', healthRoutes(deps.storage));

  // A catch-all inside the sub-app: once mounted, the parent's fallback (the app shell) would answer instead.
  api.all('*', (c) => errorResponse(c, 404, messages.notFound));
  api.onError((err, c) => {
    // The detail goes to the log only; the person sees a short, safe message.
    console.error(`[api] ${c.req.method} ${c.req.path}: ${err instanceof Error ? err.message : String(err)}`);
    return errorResponse(c, 500, messages.internal);
  });
  return api;
}

export type AppType = ReturnType<typeof createApi>;
