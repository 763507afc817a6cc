import type { Context } from 'hono';
import { routePath } from 'hono/route';

/**
 * The route pattern that answered (`/api/submissions/:id`), never the path itself: the path can hold an
 * id, and the label set stays as small as the route table. For a middleware that answered on its own
 * (serveStatic for a client file, a rate limit) it is that middleware's pattern, such as `/*`.
 */
export function routeLabel(c: Context): string {
  try {
    return routePath(c) || 'unmatched';
  } catch {
    return 'unmatched';
  }
}
