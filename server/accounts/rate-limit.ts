import { getConnInfo } from '@hono/node-server/conninfo';
import type { Context, MiddlewareHandler } from 'hono';
import { sha256Hex } from '../crypto/sha256.ts';
import type { Storage } from '../db/database.ts';
import { hitRateLimit } from '../db/rate-limits-store.ts';
import { errorResponse } from '../http/errors.ts';

/** At most `limit` requests per `windowMs` for one key. */
export interface RateLimitRule {
  limit: number;
  windowMs: number;
}

/** How a route names the client it counts against; injectable so a trusted proxy can be honoured later. */
export type ClientAddress = (c: Context) => string;

export const TOO_MANY_REQUESTS = '操作过于频繁，请稍后再试';

export const MINUTE_MS = 60 * 1000;

/**
 * The peer address of the TCP connection. X-Forwarded-For is not read: without a proxy we trust, any
 * client could send a fresh value on every request and escape the limit. Outside @hono/node-server
 * (tests through app.request) there is no socket, and every request counts as the one client 'unknown'.
 */
export const socketAddress: ClientAddress = (c) => {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
};

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
