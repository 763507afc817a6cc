import type { Context, MiddlewareHandler } from 'hono';
import { sha256Hex } from '../crypto/sha256.ts';
import type { Storage } from '../db/database.ts';
import { hitRateLimit } from '../db/rate-limits-store.ts';
import { errorResponse } from '../http/errors.ts';

// Who the client is lives with the proxy rules; the limits and their importers name it from here too.
export { clientAddress, socketAddress } from '../http/forwarded.ts';

/** At most `limit` requests per `windowMs` for one key. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/** How a route names the client it counts against; injectable so tests can be any client. */
export type ClientAddress = (c: Context) => string;

export const TOO_MANY_REQUESTS = '操作过于频繁，请稍后再试';

export const MINUTE_MS = 60 * 1000;

/**
 * The counter key for one route and one kind of subject (`ip`, `id`). The subject is hashed, so the
 * rate_limits table holds no ID numbers or addresses.
 */
export function limitKey(route: string, kind: string, subject: string): string {
  return `${route}:${kind}:${sha256Hex(subject)}`;
}

/**
 * Counts one hit against `key` (shared in the database, so it holds across server instances) and
 * returns a 429 response once the rule's limit is passed, else undefined.
 */
export async function limitExceeded(
  c: Context,
  storage: Storage,
  key: string,
  rule: RateLimitRule,
): Promise<Response | undefined> {
  const now = new Date();
  const hit = await hitRateLimit(storage.db, { key, windowMs: rule.windowMs, now });
  if (hit.count <= rule.limit) return undefined;
  const seconds = Math.max(1, Math.ceil((hit.resetAt.getTime() - now.getTime()) / 1000));
  c.header('Retry-After', String(seconds));
  return errorResponse(c, 429, TOO_MANY_REQUESTS);
}

/** Middleware counting each request against the client's address, before its body is even read. */
export function limitByAddress(storage: Storage, route: string, rule: RateLimitRule, clientAddress: ClientAddress): MiddlewareHandler {
  return async (c, next) => (await limitExceeded(c, storage, limitKey(route, 'ip', clientAddress(c)), rule)) ?? next();
}
