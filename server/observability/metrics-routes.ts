import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { type ClientAddress, clientAddress as defaultClientAddress } from '../accounts/rate-limit.ts';
import { errorResponse, messages } from '../http/errors.ts';
import type { Metrics } from './metrics.ts';

/** Who may read /metrics: a bearer token (METRICS_TOKEN), addresses (METRICS_ALLOW), or both. */
export interface MetricsAccess {
  token?: string | undefined;
  allow?: readonly string[] | undefined;
  /** How the client's address is found (behind trusted proxies); the app's own by default. */
  clientAddress?: ClientAddress;
}

export const METRICS_UNAUTHORIZED = '需要有效的监控令牌';

/** Metrics are on once someone may read them. */
export function metricsEnabled(access: MetricsAccess | undefined): access is MetricsAccess {
  return Boolean(access?.token) || (access?.allow?.length ?? 0) > 0;
}

/** `::ffff:127.0.0.1` and `127.0.0.1` are the same client. */
function plain(address: string): string {
  return address.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/i, '$1').toLowerCase();
}

/** Equal-length digests, so the comparison takes the same time whatever the guess. */
function sameToken(given: string, expected: string): boolean {
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * GET /metrics in the Prometheus text format. Outside /api (Prometheus's convention) and outside the
 * OpenAPI document: it is for the operator's scraper, not for the app. Off (404) unless configured.
 */
export function metricsRoutes(metrics: Metrics | undefined, access: MetricsAccess | undefined) {
  const app = new Hono();
  if (!metrics || !metricsEnabled(access)) {
    app.all('*', (c) => errorResponse(c, 404, messages.notFound));
    return app;
  }
  const allowed = new Set((access.allow ?? []).map(plain));
  const addressOf = access.clientAddress ?? defaultClientAddress;
  app.get('/', async (c) => {
    const bearer = /^Bearer (\S+)$/.exec(c.req.header('Authorization') ?? '')?.[1];
    const byToken = access.token !== undefined && bearer !== undefined && sameToken(bearer, access.token);
    if (!byToken && !allowed.has(plain(addressOf(c)))) {
      c.header('WWW-Authenticate', 'Bearer');
      return errorResponse(c, 401, METRICS_UNAUTHORIZED);
    }
    c.header('Cache-Control', 'no-store');
    return c.body(await metrics.registry.metrics(), 200, { 'Content-Type': metrics.registry.contentType });
  });
  app.all('*', (c) => errorResponse(c, 404, messages.notFound));
  return app;
}
